using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Hosting;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Access;

/// <summary>
/// Platform roles managed by an admin: listed with masked e-mails, granted and removed with an audit entry each, in
/// force on the holder's next request; the operator's command audits as the system.
/// </summary>
public abstract class PlatformRoleTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdmin_GrantsAndRemovesARole_Audited_InForceOnTheHoldersNextRequest()
    {
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var adminId = await admin.UserIdAsync();
        var user = await app.RegisterOwnerAsync();
        var userId = await user.UserIdAsync();
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await user.AskAsync(plant)).StatusCode);

        var granted = await admin.Client.PostAsJsonAsync("/api/v1/admin/roles", new { email = user.Email.ToUpperInvariant(), role = "support" }, Ct);

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var holder = await granted.JsonAsync();
        Assert.Equal(userId, holder.GetProperty("userId").GetGuid());
        Assert.Equal("o***@e***.com", holder.GetProperty("maskedEmail").GetString());
        Assert.Equal(["support"], holder.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.Created, (await user.AskAsync(plant)).StatusCode); // same token, next request
        var listed = await (await admin.Client.GetAsync("/api/v1/admin/roles", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains(userId.ToString(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Email, listed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(admin.Email, listed, StringComparison.OrdinalIgnoreCase);

        // Granting again changes and records nothing.
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsJsonAsync("/api/v1/admin/roles", new { email = user.Email, role = "support" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/admin/roles/{userId}/support", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await user.AskAsync(plant)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.DeleteAsync($"/api/v1/admin/roles/{userId}/support", Ct)).StatusCode);
        var audit = (await app.AuditAsync(subjectUserId: userId)).Where(e => e.Action.StartsWith("role.", StringComparison.Ordinal)).ToList();
        Assert.Equal([AuditActions.RoleGranted, AuditActions.RoleRemoved], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(adminId, e.Actor));
        Assert.All(audit, e => Assert.Equal("support", e.Target));
    }

    [Fact]
    public async Task OnlyAdmins_ManageRoles()
    {
        var target = await app.RegisterOwnerAsync();
        var targetId = await target.UserIdAsync();
        await app.GiveRoleAsync(targetId, Roles.Support);
        foreach (var caller in new[] { await app.RegisterStaffAsync(Roles.Support), await app.RegisterStaffAsync(Roles.PrivacyOfficer), await app.RegisterOwnerAsync() })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.Client.GetAsync("/api/v1/admin/roles", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.Client.PostAsJsonAsync("/api/v1/admin/roles", new { email = caller.Email, role = "admin" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.Client.DeleteAsync($"/api/v1/admin/roles/{targetId}/support", Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/v1/admin/roles", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await target.AskAsync(await (await app.RegisterOwnerAsync()).CreatePlantAsync())).StatusCode);
    }

    [Fact]
    public async Task InvalidGrants_NameTheField()
    {
        var admin = await app.RegisterStaffAsync(Roles.Admin);

        await AssertInvalidAsync(admin, new { email = admin.Email, role = "emperor" }, "role");
        await AssertInvalidAsync(admin, new { role = "support" }, "email");
        await AssertInvalidAsync(admin, new { email = Owners.UniqueEmail("nobody"), role = "support" }, "email");
    }

    [Fact]
    public async Task TheUsersCommand_GrantsAndRemoves_AuditedAsTheSystem()
    {
        var user = await app.RegisterOwnerAsync();
        var userId = await user.UserIdAsync();

        await using (var scope = app.Scope())
        {
            Assert.Equal(0, await AdminCommands.ChangeRoleAsync(scope.ServiceProvider, add: true, user.Email, Roles.PrivacyOfficer));
            Assert.Equal(0, await AdminCommands.ChangeRoleAsync(scope.ServiceProvider, add: false, user.Email, Roles.PrivacyOfficer));
            Assert.Equal(1, await AdminCommands.ChangeRoleAsync(scope.ServiceProvider, add: true, Owners.UniqueEmail("nobody"), Roles.Support));
            Assert.Equal(2, await AdminCommands.ChangeRoleAsync(scope.ServiceProvider, add: true, user.Email, "emperor"));
        }

        // Their own sign-in is on the trail too.
        var audit = (await app.AuditAsync(subjectUserId: userId)).Where(e => e.Action.StartsWith("role.", StringComparison.Ordinal)).ToList();
        Assert.Equal([AuditActions.RoleGranted, AuditActions.RoleRemoved], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(AuditActorKind.System, e.ActorKind));
        Assert.All(audit, e => Assert.Null(e.Actor));
        Assert.All(audit, e => Assert.Equal("dpo", e.Target));
    }

    private static async Task AssertInvalidAsync(Owner admin, object body, string field)
    {
        var response = await admin.Client.PostAsJsonAsync("/api/v1/admin/roles", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }
}

public sealed class SqlitePlatformRoleTests(SqliteApp app) : PlatformRoleTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPlatformRoleTests(PostgresApp app) : PlatformRoleTests(app), IClassFixture<PostgresApp>;

/// <summary>The last admin, on a database of its own (the count of admins is global).</summary>
public abstract class LastAdminTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheLastAdmin_CannotRemoveTheirOwnAdminRole_ButCanOnceThereIsAnother()
    {
        var first = await app.RegisterStaffAsync(Roles.Admin);
        var firstId = await first.UserIdAsync();

        var refused = await first.Client.DeleteAsync($"/api/v1/admin/roles/{firstId}/admin", Ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync("/api/v1/admin/roles", Ct)).StatusCode);
        Assert.DoesNotContain(await app.AuditAsync(subjectUserId: firstId), e => e.Action == AuditActions.RoleRemoved);

        var second = await app.RegisterOwnerAsync();
        var secondId = await second.UserIdAsync();
        Assert.Equal(HttpStatusCode.OK, (await first.Client.PostAsJsonAsync("/api/v1/admin/roles", new { email = second.Email, role = "admin" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await first.Client.DeleteAsync($"/api/v1/admin/roles/{firstId}/admin", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await first.Client.GetAsync("/api/v1/admin/roles", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await second.Client.DeleteAsync($"/api/v1/admin/roles/{secondId}/admin", Ct)).StatusCode);

        // The operator's command is the way back in, so it may remove the last admin.
        await using var scope = app.Scope();
        Assert.Equal(0, await AdminCommands.ChangeRoleAsync(scope.ServiceProvider, add: false, second.Email, Roles.Admin));
        Assert.Equal(HttpStatusCode.Forbidden, (await second.Client.GetAsync("/api/v1/admin/roles", Ct)).StatusCode);
    }
}

public sealed class SqliteLastAdminTests(SqliteApp app) : LastAdminTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresLastAdminTests(PostgresApp app) : LastAdminTests(app), IClassFixture<PostgresApp>;
