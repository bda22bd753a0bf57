using System.Net;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using static Helio.Server.Tests.Security.AccessWorld;

namespace Helio.Server.Tests.Security;

/// <summary>
/// Every /api/v1 route of the real route table × every kind of caller → the answer the access rules (ADR 0017)
/// promise. Each route is listed in <see cref="Rules"/> with the right it needs: a route missing there fails the
/// test, so a new route is classified before it ships. Allowed means authorisation let the request through (any
/// answer but 401, 403 or 404); denied means 401 for anonymous callers, 403 for a missing platform role, and 404
/// (like a missing id) for everything about a plant or an object the caller may not reach. An API account's token
/// is 401 outside the read routes, and finds someone else's plant missing on them. Each route gets a fresh
/// plant, shared and granted as the callers need, so that an allowed DELETE cannot spoil the next caller's case.
/// </summary>
public abstract class AuthorizationMatrixTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public enum Right
    {
        /// <summary>Any signed-in user, about themselves (their profile, their settings, their list of plants).</summary>
        AnyUser,
        /// <summary>Any signed-in user, and the request ends the caller's own session: checked last.</summary>
        EndsSession,
        /// <summary>An object that belongs to one user (a webhook, a delivery): its owner only.</summary>
        SelfOwned,
        See,
        Manage,
        Operate,
        Own,
        Support,
        Admin,
        /// <summary>An organisation's own business: its admin (the organisation staff caller). The difference between
        /// its admins and its other members is OrganisationTests' to hold.</summary>
        Organisation,
        /// <summary>Asking for after-sales access to a plant: support engineers (and an organisation's after-sales
        /// engineers for plants shared with it); to anyone else the plant is missing.</summary>
        AskAccess,
        /// <summary>An access request, seen or withdrawn: its requester (support without a grant) and the plant's owner.</summary>
        RequestParty,
        /// <summary>Approving or denying an access request: the owner; the requester is refused with 403 (segregation of duties).</summary>
        DecideAccess,
        /// <summary>The owner's contact details: the owner in clear, an engineer during a grant masked.</summary>
        OwnerContact,
        /// <summary>The privacy officer's work (the dpo platform role): policy versions, the request console. No caller
        /// of the matrix holds it; the privacy tests let an officer through.</summary>
        PrivacyOfficer,
    }

    internal static readonly Dictionary<string, Right> Rules = new(StringComparer.Ordinal)
    {
        ["GET /api/v1/me"] = Right.AnyUser,
        ["PUT /api/v1/me"] = Right.AnyUser,
        ["POST /api/v1/me/password"] = Right.AnyUser,
        ["POST /api/v1/me/email"] = Right.AnyUser,
        ["POST /api/v1/me/phone"] = Right.AnyUser,
        ["POST /api/v1/me/two-factor/setup"] = Right.AnyUser,
        ["POST /api/v1/me/two-factor/enable"] = Right.AnyUser,
        ["POST /api/v1/me/two-factor/disable"] = Right.AnyUser,
        ["POST /api/v1/me/two-factor/recovery-codes"] = Right.AnyUser,
        ["POST /api/v1/auth/logout"] = Right.EndsSession,

        ["GET /api/v1/plants"] = Right.AnyUser,
        ["POST /api/v1/plants"] = Right.AnyUser,
        ["GET /api/v1/plants/{plantId:guid}"] = Right.See,
        ["PUT /api/v1/plants/{plantId:guid}"] = Right.Manage,
        ["DELETE /api/v1/plants/{plantId:guid}"] = Right.Own,

        ["GET /api/v1/plants/{plantId:guid}/devices"] = Right.See,
        ["POST /api/v1/plants/{plantId:guid}/devices"] = Right.Manage,
        ["GET /api/v1/devices/{serialNumber}"] = Right.See,
        ["PUT /api/v1/devices/{serialNumber}"] = Right.Manage,
        ["DELETE /api/v1/devices/{serialNumber}"] = Right.Manage,

        ["GET /api/v1/plants/{plantId:guid}/ingest-keys"] = Right.Manage,
        ["POST /api/v1/plants/{plantId:guid}/ingest-keys"] = Right.Manage,
        ["DELETE /api/v1/plants/{plantId:guid}/ingest-keys/{keyId:guid}"] = Right.Manage,
        ["POST /api/v1/plants/{plantId:guid}/ingest-keys/{keyId:guid}/rotate"] = Right.Manage,

        ["GET /api/v1/plants/{plantId:guid}/overview"] = Right.See,
        ["GET /api/v1/plants/{plantId:guid}/power"] = Right.See,
        ["GET /api/v1/plants/{plantId:guid}/energy"] = Right.See,
        ["GET /api/v1/devices/{serialNumber}/readings"] = Right.See,

        ["GET /api/v1/plants/{plantId:guid}/alarms"] = Right.See,
        ["GET /api/v1/alarms/{alarmId:guid}"] = Right.See,
        ["GET /api/v1/alarms/{alarmId:guid}/explanation"] = Right.See,
        ["POST /api/v1/alarms/{alarmId:guid}/acknowledge"] = Right.See,
        ["POST /api/v1/alarms/{alarmId:guid}/close"] = Right.See,
        ["POST /api/v1/alarms/{alarmId:guid}/reviews"] = Right.See,
        ["GET /api/v1/plants/{plantId:guid}/alarm-rules"] = Right.See,
        ["POST /api/v1/plants/{plantId:guid}/alarm-rules"] = Right.Manage,
        ["PUT /api/v1/plants/{plantId:guid}/alarm-rules/{ruleId:guid}"] = Right.Manage,
        ["DELETE /api/v1/plants/{plantId:guid}/alarm-rules/{ruleId:guid}"] = Right.Manage,
        ["GET /api/v1/plants/{plantId:guid}/alarm-settings"] = Right.See,
        ["PUT /api/v1/plants/{plantId:guid}/alarm-settings"] = Right.Manage,

        ["GET /api/v1/notification-settings"] = Right.AnyUser,
        ["PUT /api/v1/notification-settings"] = Right.AnyUser,
        ["GET /api/v1/plants/{plantId:guid}/notification-settings"] = Right.See,
        ["PUT /api/v1/plants/{plantId:guid}/notification-settings"] = Right.See,
        ["DELETE /api/v1/plants/{plantId:guid}/notification-settings"] = Right.See,
        ["GET /api/v1/webhooks"] = Right.AnyUser,
        ["POST /api/v1/webhooks"] = Right.AnyUser,
        ["GET /api/v1/webhooks/{webhookId:guid}"] = Right.SelfOwned,
        ["PUT /api/v1/webhooks/{webhookId:guid}"] = Right.SelfOwned,
        ["DELETE /api/v1/webhooks/{webhookId:guid}"] = Right.SelfOwned,
        ["POST /api/v1/webhooks/{webhookId:guid}/rotate-secret"] = Right.SelfOwned,
        ["POST /api/v1/webhooks/{webhookId:guid}/test"] = Right.SelfOwned,
        ["GET /api/v1/webhooks/{webhookId:guid}/deliveries"] = Right.SelfOwned,
        ["POST /api/v1/deliveries/{deliveryId:guid}/replay"] = Right.SelfOwned,
        ["GET /api/v1/push/vapid-public-key"] = Right.AnyUser,
        ["POST /api/v1/push/subscriptions"] = Right.AnyUser,
        ["DELETE /api/v1/push/subscriptions"] = Right.AnyUser,

        ["GET /api/v1/support/unclaimed-loggers"] = Right.Support,

        ["GET /api/v1/organisations"] = Right.AnyUser,
        ["POST /api/v1/organisations"] = Right.AnyUser,
        ["POST /api/v1/organisation-invitations/accept"] = Right.AnyUser,
        ["GET /api/v1/organisations/{organisationId:guid}"] = Right.Organisation,
        ["POST /api/v1/organisations/{organisationId:guid}/cancel"] = Right.Organisation,
        ["GET /api/v1/organisations/{organisationId:guid}/plants"] = Right.Organisation,
        ["GET /api/v1/organisations/{organisationId:guid}/members"] = Right.Organisation,
        ["PUT /api/v1/organisations/{organisationId:guid}/members/{memberId:guid}"] = Right.Organisation,
        ["DELETE /api/v1/organisations/{organisationId:guid}/members/{memberId:guid}"] = Right.Organisation,
        ["GET /api/v1/organisations/{organisationId:guid}/invitations"] = Right.Organisation,
        ["POST /api/v1/organisations/{organisationId:guid}/invitations"] = Right.Organisation,
        ["DELETE /api/v1/organisations/{organisationId:guid}/invitations/{invitationId:guid}"] = Right.Organisation,

        ["GET /api/v1/plants/{plantId:guid}/shares"] = Right.Own,
        ["POST /api/v1/plants/{plantId:guid}/shares"] = Right.Own,
        ["PUT /api/v1/plants/{plantId:guid}/shares/{shareId:guid}"] = Right.Own,
        ["DELETE /api/v1/plants/{plantId:guid}/shares/{shareId:guid}"] = Right.Own,
        ["POST /api/v1/share-invitations/accept"] = Right.AnyUser,

        ["POST /api/v1/access-requests"] = Right.AskAccess,
        ["GET /api/v1/access-requests"] = Right.AnyUser,
        ["GET /api/v1/access-requests/{requestId:guid}"] = Right.RequestParty,
        ["POST /api/v1/access-requests/{requestId:guid}/approve"] = Right.DecideAccess,
        ["POST /api/v1/access-requests/{requestId:guid}/deny"] = Right.DecideAccess,
        ["POST /api/v1/access-requests/{requestId:guid}/revoke"] = Right.RequestParty,
        ["GET /api/v1/plants/{plantId:guid}/owner-contact"] = Right.OwnerContact,
        ["POST /api/v1/plants/{plantId:guid}/owner-contact/unmask"] = Right.OwnerContact,

        ["GET /api/v1/devices/{serialNumber}/settings"] = Right.See,
        ["GET /api/v1/devices/{serialNumber}/operations"] = Right.See,
        ["POST /api/v1/devices/{serialNumber}/operations"] = Right.Operate,
        ["GET /api/v1/operations/{operationId:guid}"] = Right.See,
        ["POST /api/v1/operations/{operationId:guid}/approve"] = Right.Operate,
        ["POST /api/v1/operations/{operationId:guid}/reject"] = Right.Operate,

        ["GET /api/v1/api-accounts"] = Right.AnyUser,
        ["POST /api/v1/api-accounts"] = Right.AnyUser,
        ["GET /api/v1/api-accounts/{accountId:guid}"] = Right.SelfOwned,
        ["DELETE /api/v1/api-accounts/{accountId:guid}"] = Right.SelfOwned,
        ["POST /api/v1/api-accounts/{accountId:guid}/rotate-secret"] = Right.SelfOwned,
        ["POST /api/v1/api-accounts/{accountId:guid}/plants"] = Right.SelfOwned,
        ["DELETE /api/v1/api-accounts/{accountId:guid}/plants/{plantId:guid}"] = Right.SelfOwned,
        ["POST /api/v1/api-accounts/{accountId:guid}/limit-requests"] = Right.SelfOwned,
        ["GET /api/v1/api-accounts/{accountId:guid}/requests"] = Right.SelfOwned,

        ["GET /api/v1/me/data"] = Right.AnyUser,
        ["GET /api/v1/me/requests"] = Right.AnyUser,
        ["POST /api/v1/me/requests"] = Right.AnyUser,
        ["GET /api/v1/me/requests/{requestId:guid}"] = Right.SelfOwned,
        ["POST /api/v1/me/requests/{requestId:guid}/verify"] = Right.SelfOwned,
        ["POST /api/v1/me/requests/{requestId:guid}/code"] = Right.SelfOwned,
        ["POST /api/v1/me/requests/{requestId:guid}/download"] = Right.SelfOwned,
        ["GET /api/v1/me/decisions"] = Right.AnyUser,
        ["POST /api/v1/me/complaints"] = Right.AnyUser,
        ["GET /api/v1/privacy/requests"] = Right.PrivacyOfficer,
        ["GET /api/v1/privacy/requests/{requestId:guid}"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/requests/{requestId:guid}/start"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/requests/{requestId:guid}/complete"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/requests/{requestId:guid}/refuse"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/requests/{requestId:guid}/extend"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/requests/{requestId:guid}/fee"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/requests/{requestId:guid}/repair"] = Right.PrivacyOfficer,

        ["GET /api/v1/account/access-log"] = Right.AnyUser,
        ["GET /api/v1/admin/roles"] = Right.Admin,
        ["POST /api/v1/admin/roles"] = Right.Admin,
        ["DELETE /api/v1/admin/roles/{userId:guid}/{role}"] = Right.Admin,
        ["GET /api/v1/admin/api-limit-requests"] = Right.Admin,
        ["POST /api/v1/admin/api-limit-requests/{requestId:guid}/approve"] = Right.Admin,
        ["POST /api/v1/admin/api-limit-requests/{requestId:guid}/deny"] = Right.Admin,
        ["GET /api/v1/admin/audit"] = Right.Admin,
        ["POST /api/v1/admin/audit/verify"] = Right.Admin,

        ["GET /api/v1/admin/privacy/policies"] = Right.PrivacyOfficer,
        ["POST /api/v1/admin/privacy/policies"] = Right.PrivacyOfficer,
        ["GET /api/v1/admin/privacy/policies/{version}"] = Right.PrivacyOfficer,
        ["PUT /api/v1/admin/privacy/policies/{version}"] = Right.PrivacyOfficer,
        ["POST /api/v1/admin/privacy/policies/{version}/publish"] = Right.PrivacyOfficer,
        ["GET /api/v1/me/policy"] = Right.AnyUser,
        ["POST /api/v1/me/policy/accept"] = Right.AnyUser,
        ["POST /api/v1/me/policy/dismiss"] = Right.AnyUser,
        ["GET /api/v1/me/consents"] = Right.AnyUser,
        ["PUT /api/v1/me/consents"] = Right.AnyUser,
        ["GET /api/v1/me/consents/history"] = Right.AnyUser,
        ["GET /api/v1/admin/announcements"] = Right.Admin,
        ["POST /api/v1/admin/announcements"] = Right.Admin,
        ["GET /api/v1/admin/usage/page-views"] = Right.Admin,
        ["GET /api/v1/admin/child-accounts"] = Right.Admin,
        ["POST /api/v1/admin/child-accounts/erase"] = Right.Admin,
        ["GET /api/v1/admin/privacy/regions"] = Right.Admin,
        ["GET /api/v1/admin/privacy/retention"] = Right.Admin,
        ["GET /api/v1/privacy/incidents"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/incidents"] = Right.PrivacyOfficer,
        ["GET /api/v1/privacy/incidents/{incidentId:guid}"] = Right.PrivacyOfficer,
        ["PUT /api/v1/privacy/incidents/{incidentId:guid}"] = Right.PrivacyOfficer,
        ["GET /api/v1/privacy/incidents/{incidentId:guid}/authority-notice"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/incidents/{incidentId:guid}/authority-notified"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/incidents/{incidentId:guid}/notify-users"] = Right.PrivacyOfficer,
        ["POST /api/v1/privacy/incidents/{incidentId:guid}/publish"] = Right.PrivacyOfficer,
        ["GET /api/v1/me/incident-notices"] = Right.AnyUser,
        ["POST /api/v1/me/incident-notices/{incidentId:guid}/read"] = Right.SelfOwned,
    };

    /// <param name="apiReadable">The route takes API accounts' tokens (the read routes of ADR 0021).</param>
    internal static bool Allowed(Right right, Caller caller, bool apiReadable = false) => caller switch
    {
        Caller.Anonymous => false,
        // It may list its own plants; every plant of a fixture is someone else's.
        Caller.ApiAccountOfAnotherPlant => apiReadable && right == Right.AnyUser,
        _ => right switch
        {
            Right.AnyUser or Right.EndsSession => true,
            Right.SelfOwned or Right.Operate or Right.Own or Right.DecideAccess => caller == Caller.Owner,
            Right.See => caller is Caller.Owner or Caller.SharedViewer or Caller.SharedManager or Caller.SupportWithViewGrant,
            Right.Manage => caller is Caller.Owner or Caller.SharedManager,
            Right.Support or Right.AskAccess => caller is Caller.SupportWithoutGrant or Caller.SupportWithViewGrant or Caller.SupportWithExpiredGrant,
            Right.Admin or Right.PrivacyOfficer => false,
            Right.Organisation => caller == Caller.OrganisationStaffWithoutShare,
            Right.RequestParty => caller is Caller.Owner or Caller.SupportWithoutGrant,
            Right.OwnerContact => caller is Caller.Owner or Caller.SupportWithViewGrant,
            _ => throw new ArgumentOutOfRangeException(nameof(right)),
        },
    };

    private static HttpStatusCode Denial(Right right, Caller caller, bool apiReadable) => caller switch
    {
        Caller.Anonymous => HttpStatusCode.Unauthorized,
        // Outside the read routes an API token is no credential at all.
        Caller.ApiAccountOfAnotherPlant => apiReadable ? HttpStatusCode.NotFound : HttpStatusCode.Unauthorized,
        _ when right is Right.Support or Right.Admin or Right.PrivacyOfficer => HttpStatusCode.Forbidden,
        Caller.SupportWithoutGrant when right == Right.DecideAccess => HttpStatusCode.Forbidden,
        _ => HttpStatusCode.NotFound,
    };

    private static bool ApiReadable(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == ApiAccountsModule.ReadPolicy);

    [Fact]
    public void EveryApiRoute_IsClassified()
    {
        var unclassified = ApiRoutes.All(app).Select(r => ApiRoutes.Key(r.Method, r.Endpoint))
            .Where(k => !Rules.ContainsKey(k) && !RouteAuthorizationTests.AnonymousRoutes.Contains(k)).ToList();
        Assert.True(unclassified.Count == 0, "Classify these routes in AuthorizationMatrixTests.Rules: " + string.Join(", ", unclassified));
        var stale = Rules.Keys.Except(ApiRoutes.All(app).Select(r => ApiRoutes.Key(r.Method, r.Endpoint))).ToList();
        Assert.True(stale.Count == 0, "These classified routes no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task EveryRoute_AnswersEveryCaller_AsItsRightSays()
    {
        var callers = await AccessWorld.CallersAsync(app);
        var failures = new List<string>();
        var routes = ApiRoutes.All(app)
            .Where(r => Rules.ContainsKey(ApiRoutes.Key(r.Method, r.Endpoint)))
            .OrderBy(r => Rules[ApiRoutes.Key(r.Method, r.Endpoint)] == Right.EndsSession)
            .ToList();
        foreach (var (method, endpoint) in routes)
        {
            var key = ApiRoutes.Key(method, endpoint);
            var right = Rules[key];
            var apiReadable = ApiReadable(endpoint);
            // A route that ends the caller's session takes no ids, and the owner's session is gone after its turn.
            Task<Dictionary<string, string>> NewFixtureAsync() => right == Right.EndsSession ? Task.FromResult(new Dictionary<string, string>()) : AccessWorld.FixtureAsync(app, callers, endpoint);
            var fixture = await NewFixtureAsync();
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var allowed = Allowed(right, caller, apiReadable);
                if (allowed && method != "GET")
                {
                    // An allowed write may delete or change the fixture: every allowed writer gets its own.
                    fixture = await NewFixtureAsync();
                }
                var response = await ApiRoutes.SendAsync(callers[caller], method, ApiRoutes.Fill(endpoint, fixture), ApiRoutes.Naming(fixture));
                var status = response.StatusCode;
                if (allowed && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    failures.Add($"{key} as {caller}: expected through, got {(int)status} {await response.Content.ReadAsStringAsync(Ct)}");
                }
                else if (!allowed && status != Denial(right, caller, apiReadable))
                {
                    failures.Add($"{key} as {caller}: expected {(int)Denial(right, caller, apiReadable)}, got {(int)status}");
                }
            }
        }
        Assert.True(routes.Count >= Rules.Count, "some classified routes were not tried");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

public sealed class SqliteAuthorizationMatrixTests(SqliteApp app) : AuthorizationMatrixTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresAuthorizationMatrixTests(PostgresApp app) : AuthorizationMatrixTests(app), IClassFixture<PostgresApp>;
