namespace Helio.Server.Features.Audit;

/// <summary>
/// The names of audited actions, "area.verb". Pages translate them for people; the trail stores these strings, so a
/// name, once used, never changes meaning.
/// </summary>
public static class AuditActions
{
    // Sign-in and roles
    public const string SignedIn = "account.signed-in";
    public const string SignInFailed = "account.sign-in-failed";
    public const string RoleGranted = "role.granted";
    public const string RoleRemoved = "role.removed";

    // Reading someone else's data: a plant (with its devices, telemetry and alarms) or a person's contact details.
    public const string PlantViewed = "plant.viewed";
    public const string ContactViewedMasked = "contact.viewed-masked";
    public const string ContactUnmasked = "contact.unmasked";

    // Organisations and shares
    public const string OrganisationCreated = "organisation.created";
    public const string OrganisationCancelled = "organisation.cancelled";
    public const string MemberInvited = "organisation.member-invited";
    public const string MemberJoined = "organisation.member-joined";
    public const string MemberRemoved = "organisation.member-removed";
    public const string MemberRoleChanged = "organisation.member-role-changed";
    public const string ShareCreated = "share.created";
    public const string ShareRevoked = "share.revoked";
    public const string InvitationRevoked = "organisation.invitation-revoked";
    public const string ShareInvited = "share.invited";
    public const string ShareInvitationRevoked = "share.invitation-revoked";
    public const string ShareScopeChanged = "share.scope-changed";

    // After-sales access
    public const string AccessRequested = "access.requested";
    public const string AccessApproved = "access.approved";
    public const string AccessDenied = "access.denied";
    public const string AccessRevoked = "access.revoked";

    // Remote operations
    public const string OperationRequested = "operation.requested";
    public const string OperationApproved = "operation.approved";
    public const string OperationRejected = "operation.rejected";
    public const string OperationSent = "operation.sent";
    public const string OperationConfirmed = "operation.confirmed";
    public const string OperationFailed = "operation.failed";

    // API accounts
    public const string ApiAccountOpened = "api-account.opened";
    public const string ApiAccountClosed = "api-account.closed";
    public const string ApiAccountSecretRotated = "api-account.secret-rotated";
    public const string ApiAccountPlantAdded = "api-account.plant-added";
    public const string ApiAccountPlantRemoved = "api-account.plant-removed";
    public const string ApiPlantLimitRequested = "api-account.limit-requested";
    public const string ApiPlantLimitDecided = "api-account.limit-decided";

    // Privacy
    public const string DataExported = "privacy.exported";
    public const string AccountDeleted = "privacy.account-deleted";
    public const string PlantDeleted = "plant.deleted";

    // Privacy: policy versions and consent
    public const string PolicyDrafted = "privacy.policy-drafted";
    public const string PolicyPublished = "privacy.policy-published";
    public const string PolicyAccepted = "privacy.policy-accepted";
    public const string ConsentGiven = "privacy.consent-given";
    public const string ConsentWithdrawn = "privacy.consent-withdrawn";
    public const string AnnouncementSent = "announcement.sent";

    // Data-subject requests and complaints (Features/Privacy/Requests)
    public const string MyDataViewed = "privacy.my-data-viewed";
    public const string PrivacyRequestReceived = "privacy.request-received";
    public const string PrivacyRequestCodeFailed = "privacy.request-code-failed";
    public const string PrivacyRequestVerified = "privacy.request-verified";
    public const string PrivacyRequestExpired = "privacy.request-expired";
    public const string PrivacyRequestViewed = "privacy.request-viewed";
    public const string PrivacyRequestStarted = "privacy.request-started";
    public const string PrivacyRequestExtended = "privacy.request-extended";
    public const string PrivacyRequestFeeRecorded = "privacy.request-fee-recorded";
    public const string PrivacyRequestRefused = "privacy.request-refused";
    public const string PrivacyRequestCompleted = "privacy.request-completed";
    public const string PrivacyDataRepaired = "privacy.data-repaired";
    public const string PrivacyRequestClosed = "privacy.request-closed";
    public const string CancellationWithdrawn = "privacy.cancellation-withdrawn";
    public const string ErasureNoticesSent = "privacy.erasure-notices-sent";

    // Privacy: children, data regions, retention
    public const string GuardianConsentGiven = "privacy.guardian-consent-given";
    public const string TransferAllowed = "privacy.transfer-allowed";
    public const string TransferRefused = "privacy.transfer-refused";
    public const string RetentionApplied = "privacy.retention-applied";
    public const string AuditExpired = "audit.expired";

    // Security incidents
    public const string IncidentRecorded = "incident.recorded";
    public const string IncidentUpdated = "incident.updated";
    public const string IncidentAuthorityNotified = "incident.authority-notified";
    public const string IncidentUsersNotified = "incident.users-notified";
    public const string IncidentPublished = "incident.published";
}
