namespace Helio.Server.Features.Audit;

/// <summary>What people read for the trail's action names and verification results (English; the UI has no other
/// language yet). An action without a text of its own shows its name, so a new action is never hidden.</summary>
public static class AuditText
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        [AuditActions.SignedIn] = "signed in",
        [AuditActions.SignInFailed] = "failed to sign in",
        [AuditActions.RoleGranted] = "granted a platform role",
        [AuditActions.RoleRemoved] = "removed a platform role",
        [AuditActions.PlantViewed] = "viewed the plant's data",
        [AuditActions.ContactViewedMasked] = "saw your contact details, masked",
        [AuditActions.ContactUnmasked] = "unmasked your contact details",
        [AuditActions.OrganisationCreated] = "created an organisation",
        [AuditActions.OrganisationCancelled] = "cancelled an organisation",
        [AuditActions.MemberInvited] = "invited a member",
        [AuditActions.MemberJoined] = "joined an organisation",
        [AuditActions.MemberRemoved] = "removed a member",
        [AuditActions.MemberRoleChanged] = "changed a member's role",
        [AuditActions.ShareCreated] = "shared the plant",
        [AuditActions.ShareRevoked] = "revoked a share of the plant",
        [AuditActions.AccessRequested] = "asked for after-sales access",
        [AuditActions.AccessApproved] = "approved after-sales access",
        [AuditActions.AccessDenied] = "denied after-sales access",
        [AuditActions.AccessRevoked] = "revoked after-sales access",
        [AuditActions.OperationRequested] = "asked for a remote operation",
        [AuditActions.OperationApproved] = "approved a remote operation",
        [AuditActions.OperationRejected] = "rejected a remote operation",
        [AuditActions.OperationSent] = "sent a remote operation",
        [AuditActions.OperationConfirmed] = "had a remote operation confirmed",
        [AuditActions.OperationFailed] = "had a remote operation fail",
        [AuditActions.ApiAccountOpened] = "opened an API account",
        [AuditActions.ApiAccountClosed] = "closed an API account",
        [AuditActions.ApiAccountSecretRotated] = "rotated an API account's secret",
        [AuditActions.ApiAccountPlantAdded] = "associated the plant with an API account",
        [AuditActions.ApiAccountPlantRemoved] = "removed the plant from an API account",
        [AuditActions.ApiPlantLimitRequested] = "asked for more plants on an API account",
        [AuditActions.ApiPlantLimitDecided] = "decided on an API account's plant limit",
        [AuditActions.DataExported] = "exported personal data",
        [AuditActions.AccountDeleted] = "deleted an account",
        [AuditActions.PlantDeleted] = "deleted the plant",
        [AuditActions.MyDataViewed] = "read their own data (My data)",
        [AuditActions.PrivacyRequestReceived] = "made a privacy request",
        [AuditActions.PrivacyRequestCodeFailed] = "entered a wrong verification code for a privacy request",
        [AuditActions.PrivacyRequestVerified] = "verified their identity for a privacy request",
        [AuditActions.PrivacyRequestExpired] = "let a privacy request expire unverified",
        [AuditActions.PrivacyRequestViewed] = "read your privacy request",
        [AuditActions.PrivacyRequestStarted] = "started work on your privacy request",
        [AuditActions.PrivacyRequestExtended] = "extended the time for your privacy request",
        [AuditActions.PrivacyRequestFeeRecorded] = "recorded a fee for your privacy request",
        [AuditActions.PrivacyRequestRefused] = "refused your privacy request",
        [AuditActions.PrivacyRequestCompleted] = "answered your privacy request",
        [AuditActions.PrivacyRequestClosed] = "closed a privacy request unanswered: the account was erased",
        [AuditActions.CancellationWithdrawn] = "withdrew an account cancellation by signing in",
        [AuditActions.ErasureNoticesSent] = "asked everyone the data went to to delete it",
        [AuditActions.PrivacyDataRepaired] = "repaired wrong readings of your plant",
        [AuditActions.GuardianConsentGiven] = "confirmed as parent or guardian",
        [AuditActions.TransferAllowed] = "transferred data to another region",
        [AuditActions.TransferRefused] = "was refused a transfer to another region",
        [AuditActions.RetentionApplied] = "deleted data past its retention period",
        [AuditActions.AuditExpired] = "removed audit entries past their retention period",
        [AuditActions.IncidentRecorded] = "recorded a security incident",
        [AuditActions.IncidentUpdated] = "updated a security incident",
        [AuditActions.IncidentAuthorityNotified] = "notified the supervisory authority of an incident",
        [AuditActions.IncidentUsersNotified] = "notified the people affected by an incident",
        [AuditActions.IncidentPublished] = "published a notice of an incident",
    };

    /// <summary>The known action names, for the admin page's filter.</summary>
    public static IEnumerable<string> KnownActions => Actions.Keys;

    public static string Action(string action) => Actions.GetValueOrDefault(action, action);

    public static string Reason(AuditBreak reason) => reason switch
    {
        AuditBreak.Edited => "edited",
        AuditBreak.InsertedOrRemovedBefore => "inserted or removed before",
        AuditBreak.Renumbered => "renumbered: inserted, removed or swapped",
        AuditBreak.SequenceGap => "sequence gap",
        AuditBreak.AnchorMismatch => "anchor not found",
        AuditBreak.CheckpointInvalid => "checkpoint not signed by this deployment",
        _ => reason.ToString(),
    };
}
