using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>
/// Platform staff for tests: a registered, confirmed user given a platform role straight in the database (as the
/// operator's <c>users add-role</c> would, without the process), and users' ids.
/// </summary>
public static class Staff
{
    public static async Task<Owner> RegisterStaffAsync(this HelioApp app, string role, string name = "Sam Staff")
    {
        var staff = await app.RegisterOwnerAsync(Owners.UniqueEmail(role), name: name);
        await app.GiveRoleAsync(await staff.UserIdAsync(), role);
        return staff;
    }

    public static async Task GiveRoleAsync(this HelioApp app, Guid userId, string role)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        db.UserRoles.Add(new UserRole { UserId = userId, Role = role });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<Guid> UserIdAsync(this Owner user) =>
        (await (await user.Client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken)).JsonAsync()).GetProperty("id").GetGuid();
}
