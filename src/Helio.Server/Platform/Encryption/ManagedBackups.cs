using System.Text.Json;
using Helio.Server.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Platform.Encryption;

/// <summary>One backup <c>helio backup</c> made: where, when, and which KEK wrapped its data keys last.</summary>
public sealed record BackupRecord(string Path, DateTimeOffset TakenAt, string KekId);

/// <summary>
/// Helio's own backups of a SQLite database (ADR 0027): <c>VACUUM INTO</c> a new file, listed in
/// &lt;data dir&gt;/backups/manifest.json. A key rotation brings every listed backup along: its data keys are replaced by
/// the live database's (re-wrapped under the new KEK), the keys of people erased since are dropped, and the file is
/// vacuumed so their bytes do not linger in free pages. So these backups stay restorable after the old KEK is
/// destroyed, and nothing else taken before an erasure does.
/// </summary>
public sealed class ManagedBackups(HelioDbContext db, KeyRing keys, IOptions<HelioOptions> helio, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private string ManifestPath => helio.Value.DataPath("backups", "manifest.json");

    public async Task<BackupRecord> TakeAsync(string path, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            throw new InvalidOperationException("helio backup copies SQLite databases; on PostgreSQL use pg_dump (docs/adr/0027).");
        }
        var target = Path.GetFullPath(path);
        if (File.Exists(target))
        {
            throw new InvalidOperationException("The backup file exists already; name a new one.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // VACUUM INTO reads one consistent snapshot while the server goes on writing, and leaves no free pages behind.
        await db.Database.ExecuteSqlAsync($"VACUUM INTO {target}", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // The copy holds everything the database does: owner-only, like the database's own directory should be.
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var record = new BackupRecord(target, time.GetUtcNow(), keys.CurrentKeyId);
        var manifest = await ReadAsync(cancellationToken);
        manifest.Add(record);
        await WriteAsync(manifest, cancellationToken);
        return record;
    }

    public async Task<List<BackupRecord>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ManifestPath))
        {
            return [];
        }
        await using var stream = File.OpenRead(ManifestPath);
        return await JsonSerializer.DeserializeAsync<List<BackupRecord>>(stream, Json, cancellationToken) ?? [];
    }

    /// <summary>
    /// Gives every listed backup the live database's wrapped data keys (call after re-wrapping them under the current KEK)
    /// and drops the keys of people who are no longer in the live database. Backups that no longer exist leave the
    /// manifest. Returns how many backups were brought along.
    /// </summary>
    internal async Task<int> RewrapAsync(CancellationToken cancellationToken)
    {
        var manifest = await ReadAsync(cancellationToken);
        var kept = new List<BackupRecord>();
        if (manifest.Count == 0)
        {
            return 0;
        }
        var live = await db.UserDataKeys.AsNoTracking().ToDictionaryAsync(k => k.Id, cancellationToken);
        var protectionKeys = await db.DataProtectionKeys.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var backup in manifest)
        {
            if (!File.Exists(backup.Path))
            {
                continue;
            }
            await RewrapOneAsync(backup.Path, live, protectionKeys, cancellationToken);
            kept.Add(backup with { KekId = keys.CurrentKeyId });
        }
        await WriteAsync(kept, cancellationToken);
        return kept.Count;
    }

    private static async Task RewrapOneAsync(string path, Dictionary<Guid, UserDataKey> live,
        List<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> protectionKeys, CancellationToken cancellationToken)
    {
        await using var backup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        await backup.OpenAsync(cancellationToken);
        await Execute(backup, "PRAGMA secure_delete = ON");
        await using (var transaction = backup.BeginTransaction())
        {
            var ids = new List<Guid>();
            await using (var read = backup.CreateCommand())
            {
                read.CommandText = "SELECT \"Id\" FROM user_data_keys";
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(Guid.Parse(reader.GetString(0)));
                }
            }
            foreach (var id in ids)
            {
                await using var write = backup.CreateCommand();
                write.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
                if (live.TryGetValue(id, out var key))
                {
                    // The same data key, wrapped as the live database holds it; its associated data names key and user, so it fits.
                    write.CommandText = "UPDATE user_data_keys SET \"KekId\" = $kek, \"WrappedKey\" = $wrapped WHERE \"Id\" = $id";
                    write.Parameters.AddWithValue("$kek", key.KekId);
                    write.Parameters.AddWithValue("$wrapped", key.WrappedKey);
                }
                else
                {
                    write.CommandText = "DELETE FROM user_data_keys WHERE \"Id\" = $id";
                }
                await write.ExecuteNonQueryAsync(cancellationToken);
            }
            // Cookie and token keys: the live ones, encrypted by the current KEK, so a restored server reads them.
            await Execute(backup, "DELETE FROM \"DataProtectionKeys\"");
            foreach (var protectionKey in protectionKeys)
            {
                await using var insert = backup.CreateCommand();
                insert.CommandText = "INSERT INTO \"DataProtectionKeys\" (\"FriendlyName\", \"Xml\") VALUES ($name, $xml)";
                insert.Parameters.AddWithValue("$name", (object?)protectionKey.FriendlyName ?? DBNull.Value);
                insert.Parameters.AddWithValue("$xml", (object?)protectionKey.Xml ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        // Rewrites the file: the old wrapped keys leave no trace in free pages or the journal.
        await Execute(backup, "VACUUM");

        async Task Execute(SqliteConnection connection, string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task WriteAsync(List<BackupRecord> manifest, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ManifestPath)!);
        var temporary = ManifestPath + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, manifest, Json, cancellationToken);
        }
        File.Move(temporary, ManifestPath, overwrite: true);
    }
}
