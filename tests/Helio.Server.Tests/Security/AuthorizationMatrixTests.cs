using System.Net;
using Helio.Server.Tests.Infrastructure;
using static Helio.Server.Tests.Security.AccessWorld;

namespace Helio.Server.Tests.Security;

/// <summary>
/// Every /api/v1 route of the real route table × every kind of caller → the answer the access rules (ADR 0017)
/// promise. Each route is listed in <see cref="Rules"/> with the right it needs: a route missing there fails the
/// test, so a new route is classified before it ships. Allowed means authorisation let the request through (any
/// answer but 401, 403 or 404); denied means 401 for anonymous callers, 403 for a missing platform role, and 404
/// (like a missing id) for everything about a plant or an object the caller may not reach. Each route gets a fresh
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
    };

    internal static bool Allowed(Right right, Caller caller) => caller != Caller.Anonymous && right switch
    {
        Right.AnyUser or Right.EndsSession => true,
        Right.SelfOwned or Right.Operate or Right.Own => caller == Caller.Owner,
        Right.See => caller is Caller.Owner or Caller.SharedViewer or Caller.SharedManager or Caller.SupportWithViewGrant,
        Right.Manage => caller is Caller.Owner or Caller.SharedManager,
        Right.Support => caller is Caller.SupportWithoutGrant or Caller.SupportWithViewGrant or Caller.SupportWithExpiredGrant,
        Right.Admin => false,
        _ => throw new ArgumentOutOfRangeException(nameof(right)),
    };

    private static HttpStatusCode Denial(Right right, Caller caller) =>
        caller == Caller.Anonymous ? HttpStatusCode.Unauthorized
        : right is Right.Support or Right.Admin ? HttpStatusCode.Forbidden
        : HttpStatusCode.NotFound;

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
            var fixture = await AccessWorld.FixtureAsync(app, callers, endpoint);
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var allowed = Allowed(right, caller);
                if (allowed && method != "GET")
                {
                    // An allowed write may delete or change the fixture: every allowed writer gets its own.
                    fixture = await AccessWorld.FixtureAsync(app, callers, endpoint);
                }
                var response = await ApiRoutes.SendAsync(callers[caller], method, ApiRoutes.Fill(endpoint, fixture));
                var status = response.StatusCode;
                if (allowed && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    failures.Add($"{key} as {caller}: expected through, got {(int)status} {await response.Content.ReadAsStringAsync(Ct)}");
                }
                else if (!allowed && status != Denial(right, caller))
                {
                    failures.Add($"{key} as {caller}: expected {(int)Denial(right, caller)}, got {(int)status}");
                }
            }
        }
        Assert.True(routes.Count >= Rules.Count, "some classified routes were not tried");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

public sealed class SqliteAuthorizationMatrixTests(SqliteApp app) : AuthorizationMatrixTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresAuthorizationMatrixTests(PostgresApp app) : AuthorizationMatrixTests(app), IClassFixture<PostgresApp>;
