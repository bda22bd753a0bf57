using System.Net;
using Helio.Server.Features.Access;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Features.RemoteControl;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Helio.Server.Tests.Security.AccessWorld;
using static Helio.Server.Tests.Security.AuthorizationMatrixTests;

namespace Helio.Server.Tests.Security;

/// <summary>
/// Every write route, sent by callers it lets through, with a valid body plus every field an attacker would add to
/// take over: ids, owners, requesters, approvers, roles, states, limits and timestamps. Afterwards no row anywhere
/// carries the forged id or timestamp, nobody gained a role, a share, a grant or a membership, and the stranger the
/// forged fields point at owns nothing.
/// </summary>
public abstract class MassAssignmentTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Guid ForgedId = Guid.Parse("0badf00d-0000-4000-8000-000000000001");
    private static readonly DateTimeOffset ForgedInstant = new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);

    [Fact]
    public async Task EveryWriteBody_IgnoresFieldsTheCallerMayNotSet()
    {
        var callers = await CallersAsync(app);
        var stranger = callers.Ids[Caller.Stranger];
        var forged = new Dictionary<string, object?>
        {
            ["id"] = ForgedId, ["ownerId"] = stranger, ["userId"] = stranger, ["requesterId"] = stranger, ["grantedBy"] = stranger,
            ["decidedBy"] = stranger, ["approvedBy"] = stranger, ["createdBy"] = stranger, ["invitedBy"] = stranger, ["addedBy"] = stranger,
            ["role"] = "admin", ["roles"] = new[] { "admin", "dpo", "support" }, ["isAdmin"] = true,
            ["emailConfirmed"] = false, ["twoFactorEnabled"] = true, ["securityStamp"] = "forged",
            ["state"] = "approved", ["plantLimit"] = 100_000, ["version"] = 99,
            ["createdAt"] = ForgedInstant, ["updatedAt"] = ForgedInstant, ["requestedAt"] = ForgedInstant, ["decidedAt"] = ForgedInstant,
            ["startsAt"] = ForgedInstant, ["endsAt"] = ForgedInstant, ["revokedAt"] = ForgedInstant, ["closedAt"] = ForgedInstant,
            ["raisedAt"] = ForgedInstant, ["acknowledgedAt"] = ForgedInstant, ["expiresAt"] = ForgedInstant,
            ["receivedAt"] = ForgedInstant, ["verifiedAt"] = ForgedInstant, ["dueAt"] = ForgedInstant, ["codeExpiresAt"] = ForgedInstant,
            ["extendedMonths"] = 2, ["possiblyExcessive"] = false, ["codeAttempts"] = 0, ["codeHash"] = "AAAA",
        };
        var tried = 0;
        foreach (var (method, endpoint) in ApiRoutes.All(app).Where(r => r.Method != "GET" && r.Method != "DELETE"))
        {
            var key = ApiRoutes.Key(method, endpoint);
            if (!Rules.TryGetValue(key, out var right) || right == Right.EndsSession)
            {
                continue;
            }
            // Every caller the route lets through but the stranger, whom the forged fields name.
            foreach (var caller in Enum.GetValues<Caller>().Where(c => c != Caller.Stranger && Allowed(right, c)))
            {
                var fixture = await FixtureAsync(app, callers, endpoint);
                var response = await ApiRoutes.SendAsync(callers[caller], method, ApiRoutes.Fill(endpoint, fixture), forged);
                Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"{key} as {caller} failed: {await response.Content.ReadAsStringAsync(Ct)}");
                tried++;
            }
        }
        Assert.True(tried >= 20, $"only {tried} writes were tried");

        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        Assert.Empty(await ForgedValuesAsync(db));
        Assert.Equal(3, await db.UserRoles.CountAsync(Ct)); // the three support engineers the world was made with
        Assert.False(await db.Plants.AnyAsync(p => p.OwnerId == stranger, Ct));
        Assert.False(await db.PlantShares.AnyAsync(s => s.UserId == stranger, Ct));
        Assert.False(await db.OrganisationMembers.AnyAsync(m => m.UserId == stranger, Ct));
        Assert.False(await db.AccessRequests.AnyAsync(r => r.RequesterId == stranger || r.DecidedBy == stranger, Ct));
        // Only the owner says yes: no request approved itself by a forged state, none by its requester.
        var ownerId = callers.Ids[Caller.Owner];
        Assert.False(await db.AccessRequests.AnyAsync(r => r.State == AccessRequestState.Approved && r.DecidedBy != ownerId, Ct));
        Assert.True(await db.ApiAccounts.AllAsync(a => a.PlantLimit == ApiAccount.DefaultPlantLimit, Ct));
        // A dangerous operation leaves "awaiting approval" only by a second person's decision.
        Assert.False(await db.Set<RemoteOperation>().AnyAsync(o => o.Dangerous && o.State != OperationState.AwaitingApproval && (o.DecidedBy == null || o.DecidedBy == o.RequestedBy), Ct));
        // A data-subject request is verified only by its mailed code (complaints need none), and extended only by an officer.
        Assert.True(await db.PrivacyRequests.AnyAsync(Ct));
        Assert.False(await db.PrivacyRequests.AnyAsync(r => (r.Kind != RequestKind.Complaint && r.State != RequestState.Received) || r.ExtendedMonths != 0, Ct));
        var owner = await db.Users.SingleAsync(u => u.Id == callers.Ids[Caller.Owner], Ct);
        Assert.True(owner.EmailConfirmed);
        Assert.False(owner.TwoFactorEnabled);
    }

    /// <summary>"table.column" of every stored Guid equal to the forged id and every instant equal to the forged instant.</summary>
    private static Task<List<string>> ForgedValuesAsync(HelioDbContext db) =>
        StoredValues.ColumnsHoldingAsync(db, type => type == typeof(Guid) ? ForgedId : type == typeof(DateTimeOffset) ? ForgedInstant : null);
}

public sealed class SqliteMassAssignmentTests(SqliteApp app) : MassAssignmentTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresMassAssignmentTests(PostgresApp app) : MassAssignmentTests(app), IClassFixture<PostgresApp>;
