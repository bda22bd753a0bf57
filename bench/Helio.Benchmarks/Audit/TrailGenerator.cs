using System.Data.Common;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Helio.Benchmarks.Audit;

/// <summary>
/// Appends a valid chain to the real audit_entries table in bulk: SQLite through one prepared INSERT in transactions
/// of 200,000 rows, PostgreSQL through binary COPY; the secondary indexes are dropped first and created again from
/// their own definitions afterwards (as a restore would), so the figures after it are those of a real index.
/// Every 100th entry is about the owner (a view of their plant by one of the 20 people or 2 API accounts); the
/// others are about one of 10,000 other people, by one of 1,000 actors, on one of 10,000 plants.
/// </summary>
internal sealed class TrailGenerator(DatabaseProvider provider, IServiceProvider services, BenchWorld world)
{
    private static readonly string[] Actions = [AuditActions.PlantViewed, AuditActions.SignedIn, AuditActions.ShareCreated, AuditActions.AccessApproved, AuditActions.OperationSent];
    private readonly Random random = new(42);
    private readonly Guid[] subjects = Enumerable.Range(0, 10_000).Select(_ => Guid.NewGuid()).ToArray();
    private readonly Guid[] actors = Enumerable.Range(0, 1_000).Select(_ => Guid.NewGuid()).ToArray();
    private readonly Guid[] plants = Enumerable.Range(0, 10_000).Select(_ => Guid.NewGuid()).ToArray();
    private readonly DateTimeOffset start = AuditChain.Truncate(DateTimeOffset.UtcNow.AddDays(-365));

    public async Task GrowToAsync(long total)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var head = await db.AuditEntries.OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync();
        var seq = head?.Seq ?? 0;
        var previous = head?.Hash ?? AuditChain.Genesis;
        if (seq >= total)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }
        var indexes = await DropIndexesAsync(connection);
        if (provider == DatabaseProvider.Sqlite)
        {
            await SqliteAsync((SqliteConnection)connection, seq, total, previous);
        }
        else
        {
            await PostgresAsync((NpgsqlConnection)connection, seq, total, previous);
        }
        foreach (var definition in indexes)
        {
            await ExecuteAsync(connection, definition);
        }
        await ExecuteAsync(connection, "ANALYZE audit_entries");
    }

    private AuditEntry Next(long seq, byte[] previous)
    {
        var ownerEntry = seq % 100 == 0;
        var apiAccount = ownerEntry && seq % 1_000 == 0;
        var entry = new AuditEntry
        {
            Seq = seq,
            At = start.AddTicks(seq * 30_000), // 3 ms apart
            Action = ownerEntry ? AuditActions.PlantViewed : Actions[random.Next(Actions.Length)],
            ActorKind = apiAccount ? AuditActorKind.ApiAccount : AuditActorKind.User,
            ActorId = apiAccount ? world.ApiAccounts[random.Next(world.ApiAccounts.Length)] : ownerEntry ? world.Actors[random.Next(world.Actors.Length)] : actors[random.Next(actors.Length)],
            SubjectId = ownerEntry ? world.OwnerPseudonym : subjects[random.Next(subjects.Length)],
            PlantId = ownerEntry ? world.PlantId : plants[random.Next(plants.Length)],
            Detail = ownerEntry ? """{"via":"api"}""" : null,
            PrevHash = previous,
            Hash = [],
        };
        entry.Hash = AuditChain.ComputeHash(entry);
        return entry;
    }

    private async Task SqliteAsync(SqliteConnection connection, long seq, long total, byte[] previous)
    {
        // EF stores Guid as uppercase text and instants as UTC ticks on SQLite (see SqliteHelioDbContext).
        static object Text(Guid? id) => id is { } value ? value.ToString().ToUpperInvariant() : DBNull.Value;
        while (seq < total)
        {
            await using var transaction = connection.BeginTransaction();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO audit_entries ("Seq", "At", "Action", "ActorKind", "ActorId", "SubjectId", "PlantId", "Target", "Detail", "PrevHash", "Hash")
                VALUES ($seq, $at, $action, $kind, $actor, $subject, $plant, NULL, $detail, $prev, $hash)
                """;
            var p = new[] { "$seq", "$at", "$action", "$kind", "$actor", "$subject", "$plant", "$detail", "$prev", "$hash" }
                .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            insert.Prepare();
            var end = Math.Min(total, seq + 200_000);
            while (seq < end)
            {
                var e = Next(++seq, previous);
                p[0].Value = e.Seq;
                p[1].Value = e.At.UtcTicks;
                p[2].Value = e.Action;
                p[3].Value = (int)e.ActorKind;
                p[4].Value = Text(e.ActorId);
                p[5].Value = Text(e.SubjectId);
                p[6].Value = Text(e.PlantId);
                p[7].Value = (object?)e.Detail ?? DBNull.Value;
                p[8].Value = e.PrevHash;
                p[9].Value = e.Hash;
                await insert.ExecuteNonQueryAsync();
                previous = e.Hash;
            }
            await transaction.CommitAsync();
        }
    }

    private async Task PostgresAsync(NpgsqlConnection connection, long seq, long total, byte[] previous)
    {
        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY audit_entries ("Seq", "At", "Action", "ActorKind", "ActorId", "SubjectId", "PlantId", "Target", "Detail", "PrevHash", "Hash") FROM STDIN (FORMAT BINARY)
            """);
        while (seq < total)
        {
            var e = Next(++seq, previous);
            await writer.StartRowAsync();
            await writer.WriteAsync(e.Seq, NpgsqlDbType.Bigint);
            await writer.WriteAsync(e.At, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(e.Action, NpgsqlDbType.Text);
            await writer.WriteAsync((int)e.ActorKind, NpgsqlDbType.Integer);
            await writer.WriteAsync(e.ActorId!.Value, NpgsqlDbType.Uuid);
            await writer.WriteAsync(e.SubjectId!.Value, NpgsqlDbType.Uuid);
            await writer.WriteAsync(e.PlantId!.Value, NpgsqlDbType.Uuid);
            await writer.WriteNullAsync();
            if (e.Detail is null)
            {
                await writer.WriteNullAsync();
            }
            else
            {
                await writer.WriteAsync(e.Detail, NpgsqlDbType.Text);
            }
            await writer.WriteAsync(e.PrevHash, NpgsqlDbType.Bytea);
            await writer.WriteAsync(e.Hash, NpgsqlDbType.Bytea);
            previous = e.Hash;
        }
        await writer.CompleteAsync();
    }

    /// <summary>Drops audit_entries' secondary indexes; returns the statements that create them again.</summary>
    private async Task<List<string>> DropIndexesAsync(DbConnection connection)
    {
        var definitions = new List<(string Name, string Sql)>();
        await using (var query = connection.CreateCommand())
        {
            query.CommandText = provider == DatabaseProvider.Sqlite
                ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_entries' AND sql IS NOT NULL"
                : "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_entries' AND indexname <> 'PK_audit_entries'";
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                definitions.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in definitions)
        {
            await ExecuteAsync(connection, $"DROP INDEX \"{name}\"");
        }
        return definitions.Select(d => d.Sql).ToList();
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
