using System.Net;
using System.Xml.Linq;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// ADR 0027: after an erasure the KEK that wrapped the erased data key is destroyed, so a copy of the database taken
/// before the erasure (a dump of the rows, a copy of the SQLite file) decrypts nothing, while the live database and the
/// backups Helio made itself (<c>helio backup</c>) stay readable — checked with the key files an attacker would find.
/// </summary>
public abstract class KeyRetirementTests(KeyRetirementApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Erasure_ThenRotation_DestroysTheOldKek_SoACopyTakenBeforeDecryptsNothing()
    {
        var person = await app.RegisterOwnerAsync();
        var personId = await person.UserIdAsync();
        var neighbour = await app.RegisterOwnerAsync();
        var neighbourId = await neighbour.UserIdAsync();
        var oldKek = app.CurrentKekFile();
        var dumped = await app.DumpAsync(personId);
        var dumpedNeighbour = await app.DumpAsync(neighbourId);
        var fileCopy = app.Provider == Provider.Sqlite ? CopySqliteFile() : null;
        // Before: the copy and the key files decrypt the person — what the rotation must end.
        Assert.Equal(person.Email, OfflineDecryption.DecryptEmail(dumped, OfflineDecryption.TryUnwrap(dumped, app.KeyFiles())!), ignoreCase: true);

        await app.EraseAsync(personId);
        Assert.True(await MarkedAsync(), "the erasure left no record that its KEK must go");
        var run = await app.RotateAsync();

        Assert.NotNull(run);
        Assert.NotNull(run.NewKekId);
        Assert.Null(run.DueSince);
        Assert.False(File.Exists(oldKek));
        Assert.Single(app.KeyFiles());
        Assert.False(await MarkedAsync());
        Assert.Null(OfflineDecryption.TryUnwrap(dumped, app.KeyFiles()));
        Assert.Null(OfflineDecryption.TryUnwrap(dumpedNeighbour, app.KeyFiles()));
        if (fileCopy is not null)
        {
            var copied = await ReadSqliteAsync(fileCopy, personId);
            Assert.NotNull(copied);
            Assert.Null(OfflineDecryption.TryUnwrap(copied, app.KeyFiles()));
        }
        // The live database: the neighbour's data decrypts under the new KEK, they go on working, newcomers register.
        var live = await app.DumpAsync(neighbourId);
        Assert.Equal(neighbour.Email, OfflineDecryption.DecryptEmail(live, OfflineDecryption.TryUnwrap(live, app.KeyFiles())!), ignoreCase: true);
        Assert.Equal(HttpStatusCode.OK, (await neighbour.Client.GetAsync("/api/v1/me/data", Ct)).StatusCode);
        var newcomer = await app.RegisterOwnerAsync();
        Assert.Equal(HttpStatusCode.OK, (await newcomer.Client.GetAsync("/api/v1/me/data", Ct)).StatusCode);
        // Cookie and token keys went along: none is left encrypted by a KEK that no longer exists.
        await using var scope = app.Scope();
        var protectionKeys = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().DataProtectionKeys.Select(k => k.Xml!).ToListAsync(Ct);
        Assert.NotEmpty(protectionKeys);
        Assert.All(protectionKeys.SelectMany(x => XElement.Parse(x).Descendants().Where(e => e.Name.LocalName == "encryptedKey")),
            e => Assert.Equal(run.NewKekId, (string?)e.Attribute("kek")));
    }

    [Fact]
    public async Task ManagedBackup_StaysRestorable_WithoutTheErasedPersonsKey()
    {
        var person = await app.RegisterOwnerAsync();
        var personId = await person.UserIdAsync();
        var neighbour = await app.RegisterOwnerAsync();
        var neighbourId = await neighbour.UserIdAsync();
        var path = Path.Combine(app.DataDirectory, "elsewhere", $"helio-{Guid.NewGuid():N}.db");

        var (exit, output) = await ServerCommand.RunAgainstAsync(app, "backup", path);

        if (app.Provider == Provider.Postgres)
        {
            // Helio cannot re-wrap a dump it did not make: PostgreSQL's backups are pg_dump's, and the operator's.
            Assert.Equal(2, exit);
            Assert.Contains("pg_dump", output, StringComparison.Ordinal);
            return;
        }
        Assert.True(exit == 0, output);
        Assert.NotNull(await ReadSqliteAsync(path, personId));

        await app.EraseAsync(personId);
        var run = await app.RotateAsync();

        Assert.NotNull(run);
        Assert.Equal(1, run.Backups);
        Assert.Null(await ReadSqliteAsync(path, personId));
        var kept = await ReadSqliteAsync(path, neighbourId);
        Assert.NotNull(kept);
        Assert.Equal(neighbour.Email, OfflineDecryption.DecryptEmail(kept, OfflineDecryption.TryUnwrap(kept, app.KeyFiles())!), ignoreCase: true);
        var manifest = await File.ReadAllTextAsync(Path.Combine(app.DataDirectory, "backups", "manifest.json"), Ct);
        Assert.Contains(run.NewKekId!, manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErasuresInOneMinute_ShareOneRotation_AndNothingDueMeansNoRotation()
    {
        var first = await (await app.RegisterOwnerAsync()).UserIdAsync();
        var second = await (await app.RegisterOwnerAsync()).UserIdAsync();
        var kekBefore = app.CurrentKekFile();

        await app.EraseAsync(first);
        await app.EraseAsync(second);
        var run = await app.RotateAsync();
        var again = await app.RotateAsync();

        Assert.NotNull(run);
        Assert.Equal([Path.GetFileNameWithoutExtension(kekBefore)["kek-".Length..]], run.Destroyed);
        Assert.Null(again);
        Assert.Single(app.KeyFiles());
    }

    private async Task<bool> MarkedAsync()
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().KekRetirements.AnyAsync(Ct);
    }

    /// <summary>A plain copy of the SQLite file (after a checkpoint, so the file holds everything), as any file backup makes.</summary>
    private string CopySqliteFile()
    {
        var live = Path.Combine(app.DataDirectory, "helio.db");
        using (var connection = new SqliteConnection($"Data Source={live};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(FULL)";
            checkpoint.ExecuteNonQuery();
        }
        var copy = Path.Combine(app.DataDirectory, $"copy-{Guid.NewGuid():N}.db");
        File.Copy(live, copy);
        return copy;
    }

    /// <summary>A person's wrapped key and e-mail ciphertext in a SQLite file; null when the file holds no key for them.</summary>
    private static async Task<DumpedPerson?> ReadSqliteAsync(string path, Guid userId)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT k."Id", k."WrappedKey", u."EmailCipher" FROM user_data_keys k JOIN users u ON u."Id" = k."UserId" WHERE k."UserId" = $user
            """;
        command.Parameters.AddWithValue("$user", userId.ToString().ToUpperInvariant());
        await using var reader = await command.ExecuteReaderAsync(Ct);
        return await reader.ReadAsync(Ct)
            ? new DumpedPerson(userId, Guid.Parse(reader.GetString(0)), (byte[])reader[1], (byte[])reader[2])
            : null;
    }
}

public sealed class SqliteKeyRetirementTests(SqliteKeyRetirementApp app) : KeyRetirementTests(app), IClassFixture<SqliteKeyRetirementApp>;

public sealed class PostgresKeyRetirementTests(PostgresKeyRetirementApp app) : KeyRetirementTests(app), IClassFixture<PostgresKeyRetirementApp>;

/// <summary>With keys from configuration Helio cannot destroy a KEK: the erasure's record stays, the log warns, and the
/// readiness check turns Degraded once the rotation is overdue, until the operator has rotated.</summary>
public abstract class ConfiguredKeysTests(KeyRetirementApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Erasure_RecordsTheRotationAsDue_WarnsAndTurnsReadinessDegraded()
    {
        var person = await app.RegisterOwnerAsync();
        var neighbour = await app.RegisterOwnerAsync();
        var before = app.Clock.GetUtcNow();
        Assert.Equal("Healthy", await ReadinessAsync());

        await app.EraseAsync(await person.UserIdAsync());
        var run = await app.RotateAsync();

        Assert.NotNull(run);
        Assert.Null(run.NewKekId);
        Assert.Empty(run.Destroyed);
        Assert.NotNull(run.DueSince);
        Assert.InRange(run.DueSince.Value, before, app.Clock.GetUtcNow());
        Assert.Contains(app.Logs.Lines, l => l.Contains("Key rotation due since", StringComparison.Ordinal) && l.Contains("fleet1", StringComparison.Ordinal));
        // Within the grace the job may still be on its way; after it, the node says so.
        Assert.Equal("Healthy", await ReadinessAsync());
        app.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("Degraded", await ReadinessAsync());
        // Still due on the next run: only the operator can change configured keys.
        Assert.Equal(run.DueSince, (await app.RotateAsync())?.DueSince);
        Assert.Equal(HttpStatusCode.OK, (await neighbour.Client.GetAsync("/api/v1/me/data", Ct)).StatusCode);
    }

    private async Task<string> ReadinessAsync()
    {
        var response = await app.Anonymous().GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}

public sealed class SqliteConfiguredKeysTests(SqliteConfiguredKeysApp app) : ConfiguredKeysTests(app), IClassFixture<SqliteConfiguredKeysApp>;

public sealed class PostgresConfiguredKeysTests(PostgresConfiguredKeysApp app) : ConfiguredKeysTests(app), IClassFixture<PostgresConfiguredKeysApp>;
