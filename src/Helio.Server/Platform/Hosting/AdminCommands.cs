using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Staff;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Platform.Hosting;

/// <summary>
/// Commands on the same binary, with the same configuration as the server:
/// <c>migrate</c>, <c>keys rotate</c>, <c>users add-role &lt;email&gt; &lt;role&gt;</c>, <c>users remove-role &lt;email&gt; &lt;role&gt;</c>.
/// </summary>
internal static class AdminCommands
{
    public static readonly string[] Names = ["migrate", "keys", "users"];

    public const string Usage = """
        Usage: Helio.Server [command] [options]
          (no command)                     run the server (add --demo for demo data)
          migrate                          apply database migrations and exit
          keys rotate                      new key-encryption key; re-wrap every user's data key
          users add-role <email> <role>    roles: admin, dpo, support
          users remove-role <email> <role>
        """;

    public static async Task<int> RunAsync(WebApplication app, string[] command)
    {
        var migrator = app.Services.GetRequiredService<DatabaseMigrator>();
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (command)
        {
            case ["migrate"]:
                services.GetRequiredService<KeyRing>();
                await migrator.MigrateAsync(CancellationToken.None);
                Console.WriteLine("Database is up to date.");
                return 0;
            case ["keys", "rotate"]:
                await migrator.MigrateAsync(CancellationToken.None);
                var keys = services.GetRequiredService<KeyRing>();
                if (!keys.FromConfiguration)
                {
                    keys.AddKekFile();
                }
                var count = await services.GetRequiredService<PersonalDataProtector>().RewrapAllAsync(CancellationToken.None);
                Console.WriteLine($"Current key-encryption key: {keys.CurrentKeyId}. Re-wrapped {count} data keys.");
                Console.WriteLine(keys.FromConfiguration
                    ? "Remove older keys from Encryption:KeyEncryptionKeys once every node runs with the new CurrentKeyId."
                    : $"Older kek-*.key files in {keys.KeysDirectory} are no longer needed; keep them until backups made before now have expired.");
                return 0;
            case ["users", "add-role" or "remove-role", var email, var role]:
                return await ChangeRoleAsync(services, add: command[1] == "add-role", email, role);
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    /// <summary>Through the same use cases as the admin page, audited with the system as the actor.</summary>
    internal static async Task<int> ChangeRoleAsync(IServiceProvider services, bool add, string email, string role)
    {
        if (!Roles.All.Contains(role))
        {
            await Console.Error.WriteLineAsync($"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.");
            return 2;
        }
        var user = await services.GetRequiredService<UserManager<User>>().FindByEmailAsync(email);
        if (user is null)
        {
            await Console.Error.WriteLineAsync("No account has that e-mail address.");
            return 1;
        }
        if (add)
        {
            await services.GetRequiredService<GrantPlatformRole>().HandleAsync(AuditActor.System, new GrantRoleBody(email, role), CancellationToken.None);
        }
        else
        {
            // Not holding the role is what was asked for: nothing to do, nothing to record.
            await services.GetRequiredService<RemovePlatformRole>().HandleAsync(AuditActor.System, user.Id, role, CancellationToken.None);
        }
        Console.WriteLine(add ? $"Role {role} granted to user {user.Id}." : $"Role {role} removed from user {user.Id}.");
        return 0;
    }
}
