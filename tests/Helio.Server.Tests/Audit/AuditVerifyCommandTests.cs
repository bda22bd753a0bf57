using System.Text.RegularExpressions;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Audit;

/// <summary>
/// <c>audit verify</c> as an operator runs it, against a trail tampered with as someone with database access would:
/// an UPDATE of one column, an entry slipped in (with a valid hash, the later ones renumbered), one removed, two
/// swapped, the newest cut off. Each test writes a fresh trail of ten entries through <see cref="AuditTrail"/> on a
/// server of this class's own, so the tampering touches no other test.
/// </summary>
public abstract partial class AuditVerifyCommandTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IntactTrail_ExitsZero_WithCountAndHead()
    {
        await FreshTrailAsync();

        var (exit, output) = await ServerCommand.RunAgainstAsync(app, "audit", "verify");

        Assert.True(exit == 0, output);
        Assert.Contains("intact: 10 entries", output, StringComparison.Ordinal);
        var head = await HeadAsync();
        Assert.Contains($"head {head}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditedEntry_IsReportedAtItsSeq()
    {
        await FreshTrailAsync();

        await SqlAsync("""UPDATE audit_entries SET "Action" = 'plant.deleted' WHERE "Seq" = 6""");

        var output = await BrokenAsync();
        Assert.Contains("BROKEN at entry 6 (edited)", output, StringComparison.Ordinal);
        Assert.Contains("5 entries before it are intact", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsertedEntry_WithAValidHash_IsReportedWhereTheChainNoLongerFits()
    {
        var entries = await FreshTrailAsync();

        // Make room after entry 5, then slip in an entry whose hash is right and that follows entry 5.
        await SqlAsync("""UPDATE audit_entries SET "Seq" = "Seq" + 1000 WHERE "Seq" > 5""");
        await SqlAsync("""UPDATE audit_entries SET "Seq" = "Seq" - 999 WHERE "Seq" > 1000""");
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var forged = new AuditEntry
            {
                Seq = 6, At = entries[4].At, Action = AuditActions.AccessApproved, ActorKind = AuditActorKind.System, PrevHash = entries[4].Hash, Hash = [],
            };
            forged.Hash = AuditChain.ComputeHash(forged);
            db.AuditEntries.Add(forged);
            await db.SaveChangesAsync(Ct);
        }

        var output = await BrokenAsync();
        Assert.Contains("BROKEN at entry 7 (renumbered", output, StringComparison.Ordinal);
        Assert.Contains("Entry 7 was written as entry 6: an entry was inserted before it", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovedMiddleEntry_IsReportedAsAGap()
    {
        await FreshTrailAsync();

        await SqlAsync("""DELETE FROM audit_entries WHERE "Seq" = 4""");

        var output = await BrokenAsync();
        Assert.Contains("BROKEN at entry 5 (sequence gap): Entry 4 is missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovedEntry_WithTheRestRenumbered_IsReportedWhereItWas()
    {
        await FreshTrailAsync();

        await SqlAsync("""DELETE FROM audit_entries WHERE "Seq" = 4""");
        await SqlAsync("""UPDATE audit_entries SET "Seq" = "Seq" + 1000 WHERE "Seq" > 4""");
        await SqlAsync("""UPDATE audit_entries SET "Seq" = "Seq" - 1001 WHERE "Seq" > 1000""");

        var output = await BrokenAsync();
        Assert.Contains("BROKEN at entry 4 (renumbered", output, StringComparison.Ordinal);
        Assert.Contains("an entry before it was removed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwappedPair_IsReportedAtTheFirstOfThem()
    {
        await FreshTrailAsync();

        await SqlAsync("""UPDATE audit_entries SET "Seq" = -3 WHERE "Seq" = 3""");
        await SqlAsync("""UPDATE audit_entries SET "Seq" = 3 WHERE "Seq" = 4""");
        await SqlAsync("""UPDATE audit_entries SET "Seq" = 4 WHERE "Seq" = -3""");

        var output = await BrokenAsync();
        Assert.Contains("BROKEN at entry 3 (renumbered", output, StringComparison.Ordinal);
        Assert.Contains("Entry 3 was written as entry 4", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CutOffNewestEntries_PassAlone_ButNotAgainstAnAnchorKeptOutside()
    {
        await FreshTrailAsync();
        var (_, intact) = await ServerCommand.RunAgainstAsync(app, "audit", "verify");
        var head = HeadPattern().Match(intact).Groups[1].Value;
        Assert.Equal(await HeadAsync(), head);

        await SqlAsync("""DELETE FROM audit_entries WHERE "Seq" > 8""");

        // Truncation leaves a valid, shorter chain: only a head kept elsewhere shows it.
        var alone = await ServerCommand.RunAgainstAsync(app, "audit", "verify");
        Assert.True(alone.Exit == 0, alone.Output);
        var anchored = await ServerCommand.RunAgainstAsync(app, "audit", "verify", head);
        Assert.Equal(1, anchored.Exit);
        Assert.Contains("Entry 10 of the anchor is missing", anchored.Output, StringComparison.Ordinal);
        var malformed = await ServerCommand.RunAgainstAsync(app, "audit", "verify", "10:nothex");
        Assert.Equal(2, malformed.Exit);
    }

    /// <summary>Runs <c>audit verify</c>, which must fail; returns what it said.</summary>
    private async Task<string> BrokenAsync()
    {
        var (exit, output) = await ServerCommand.RunAgainstAsync(app, "audit", "verify");
        Assert.True(exit == 1, output);
        return output;
    }

    /// <summary>Empties the trail and writes ten entries as the server does; returns them.</summary>
    private async Task<List<AuditEntry>> FreshTrailAsync()
    {
        app.RequireAvailable();
        await SqlAsync("DELETE FROM audit_entries");
        await using (var scope = app.Scope())
        {
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            for (var i = 0; i < 10; i++)
            {
                await trail.RecordAsync(new AuditRecord(i % 2 == 0 ? AuditActions.SignInFailed : AuditActions.PlantViewed, AuditActor.System,
                    PlantId: Guid.NewGuid(), Target: $"target-{i}", Detail: $$"""{"n":{{i}}}"""), Ct);
            }
        }
        return await app.AuditEntriesAsync();
    }

    private async Task<string> HeadAsync()
    {
        var entries = await app.AuditEntriesAsync();
        return $"{entries[^1].Seq}:{Convert.ToHexStringLower(entries[^1].Hash)}";
    }

    private async Task SqlAsync(string sql)
    {
        await using var scope = app.Scope();
        await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Database.ExecuteSqlRawAsync(sql, Ct);
    }

    [GeneratedRegex("head ([0-9]+:[0-9a-f]{64})")]
    private static partial Regex HeadPattern();
}

public sealed class SqliteAuditVerifyCommandTests(SqliteApp app) : AuditVerifyCommandTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresAuditVerifyCommandTests(PostgresApp app) : AuditVerifyCommandTests(app), IClassFixture<PostgresApp>;
