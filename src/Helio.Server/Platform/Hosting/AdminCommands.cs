using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Staff;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Platform.Hosting;

/// <summary>
/// Commands on the same binary, with the same configuration as the server:
/// <c>migrate</c>, <c>keys rotate</c>, <c>backup &lt;path&gt;</c>, <c>users add-role &lt;email&gt; &lt;role&gt;</c>, <c>users remove-role &lt;email&gt; &lt;role&gt;</c>,
/// <c>audit verify [SEQ:HASH]</c>.
/// </summary>
internal static class AdminCommands
{
    public static readonly string[] Names = ["migrate", "keys", "backup", "users", "audit"];

    public const string Usage = """
        Usage: Helio.Server [command] [options]
          (no command)                     run the server (add --demo for demo data)
          migrate                          apply database migrations and exit
          keys rotate                      new key-encryption key; re-wrap every user's data key and the backups
                                           made by 'backup'; destroy the older key files (stop the server first);
                                           after an erasure the server does this by itself within a minute
          backup <path>                    copy the SQLite database to a new file, listed in <data dir>/backups/
                                           so that key rotations keep it restorable (PostgreSQL: pg_dump, ADR 0027)
          users add-role <email> <role>    roles: admin, dpo, support
          users remove-role <email> <role>
          audit verify [SEQ:HASH]          check the audit trail's hash chain; exit 0 when intact, 1 at the first
                                           broken entry; with the head printed by an earlier run, also check
                                           that the trail still contains it (catches cut-off or rewritten trails);
                                           after retention removed old entries, from the signed checkpoint on
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
                return await RotateKeysAsync(services);
            case ["backup", var path]:
                await migrator.MigrateAsync(CancellationToken.None);
                return await BackupAsync(services, path);
            case ["users", "add-role" or "remove-role", var email, var role]:
                return await ChangeRoleAsync(services, add: command[1] == "add-role", email, role);
            case ["audit", "verify", .. var anchor] when anchor.Length <= 1:
                return await VerifyAuditAsync(services, anchor.FirstOrDefault());
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> RotateKeysAsync(IServiceProvider services)
    {
        var keys = services.GetRequiredService<KeyRing>();
        var run = await services.GetRequiredService<KeyRotation>().RotateNowAsync(CancellationToken.None);
        if (run is null)
        {
            await Console.Error.WriteLineAsync("Another node is rotating the keys right now; try again in ten minutes.");
            return 1;
        }
        Console.WriteLine($"Current key-encryption key: {keys.CurrentKeyId}. Re-wrapped {run.Rewrapped} data keys and {run.Backups} managed backups.");
        Console.WriteLine(keys.FromConfiguration
            ? "Keys come from configuration: remove every other key from Encryption:KeyEncryptionKeys once every node runs with the new CurrentKeyId."
            : $"Destroyed {run.Destroyed.Count} older key file(s): copies of the database taken before now no longer decrypt; backups made with 'backup' do.");
        return 0;
    }

    private static async Task<int> BackupAsync(IServiceProvider services, string path)
    {
        try
        {
            var backup = await services.GetRequiredService<ManagedBackups>().TakeAsync(path, CancellationToken.None);
            Console.WriteLine($"Backup written to {backup.Path}; key rotations keep it restorable while it stays there.");
            return 0;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider services, string? anchorText)
    {
        AuditAnchor? anchor = null;
        if (anchorText is not null && !AuditAnchor.TryParse(anchorText, out anchor))
        {
            await Console.Error.WriteLineAsync("The anchor is SEQ:HASH as printed by an earlier 'audit verify', e.g. 1042:3f9a…(64 hex digits).");
            return 2;
        }
        var result = await services.GetRequiredService<AuditVerifier>().VerifyAsync(anchor, CancellationToken.None);
        if (!result.Intact)
        {
            await Console.Error.WriteLineAsync($"BROKEN at entry {result.BrokenSeq} ({AuditText.Reason(result.Reason!.Value)}): {result.Explanation}");
            await Console.Error.WriteLineAsync($"The {result.Count} entries before it are intact (up to entry {result.HeadSeq}, hash {result.HeadHash}).");
            return 1;
        }
        var from = result.FromSeq > 0 ? $" after the retention checkpoint at entry {result.FromSeq}" : "";
        Console.WriteLine($"Audit trail intact: {result.Count} entries{from}, head {result.Head} (checked in {result.Took.TotalSeconds:0.00} s).");
        if (result.Explanation is { } note)
        {
            Console.WriteLine(note);
        }
        Console.WriteLine("Keep the head (SEQ:HASH) outside this database; 'audit verify SEQ:HASH' later proves the trail still holds it.");
        return 0;
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
