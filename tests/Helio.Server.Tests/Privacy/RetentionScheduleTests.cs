using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Lifecycle.Retention;
using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Helio.Server.Platform.Mail;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Each rule of the retention schedule on the fake clock: a minute before its time the data is there, a minute after
/// the job's run it is gone, and what is not yet due stays. The clock only moves forward, so each test works from
/// wherever it stands. The job runs on one node at a time, and removing old audit entries keeps the rest verifiable.
/// </summary>
public abstract class RetentionScheduleTests(PrivacyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task UnconfirmedAccounts_AreErasedSevenDaysAfterRegistering()
    {
        var unconfirmed = await app.RegisterUnconfirmedAsync(Owners.UniqueEmail("late"));
        var confirmed = await (await app.RegisterOwnerAsync()).UserIdAsync();

        app.Advance(TimeSpan.FromDays(7) - Minute);
        await app.RunRetentionAsync();
        Assert.True(await app.UserExistsAsync(unconfirmed));

        app.Advance(2 * Minute);
        var run = await app.RunRetentionAsync();
        Assert.False(await app.UserExistsAsync(unconfirmed));
        Assert.True(await app.UserExistsAsync(confirmed));
        Assert.True(run.Deleted["unconfirmed-accounts"] >= 1);
    }

    [Fact]
    public async Task CancelledAccounts_GoToTheDeletionJobWhenTheGracePeriodEnds()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await owner.UserIdAsync();
        await owner.CreatePlantAsync("Cancelled roof");
        await app.VerifiedRequestAsync(owner, new { kind = "cancellation" });

        app.Advance(TimeSpan.FromDays(14) - Minute);
        var early = await app.RunRetentionAsync();
        Assert.Equal(0, early.Deleted["cancelled-accounts"]);
        Assert.True(await app.UserExistsAsync(id));

        app.Advance(2 * Minute);
        var pseudonym = await app.PseudonymAsync(id);
        var run = await app.RunRetentionAsync();

        Assert.Equal(1, run.Deleted["cancelled-accounts"]);
        await Eventually.True(async () => !await app.UserExistsAsync(id), "the deletion job never erased the cancelled account");
        Assert.Contains("account-cancelled", (await app.ErasureEntryAsync(pseudonym)).Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await app.RunRetentionAsync()).Deleted["cancelled-accounts"]);
    }

    [Fact]
    public async Task ExportFiles_AreDeletedSevenDaysAfterTheyWereWritten()
    {
        app.RequireAvailable();
        var exports = Path.Combine(app.DataDirectory, "exports");
        var old = Path.Combine(exports, Guid.NewGuid().ToString("N"), "export.zip");
        var fresh = Path.Combine(exports, "fresh-export.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        await File.WriteAllTextAsync(old, "old", Ct);
        await File.WriteAllTextAsync(fresh, "fresh", Ct);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        File.SetLastWriteTimeUtc(old, now - TimeSpan.FromDays(7) + Minute);
        File.SetLastWriteTimeUtc(fresh, now);

        await app.RunRetentionAsync();
        Assert.True(File.Exists(old));

        app.Advance(2 * Minute);
        var run = await app.RunRetentionAsync();
        Assert.False(File.Exists(old));
        Assert.False(Directory.Exists(Path.GetDirectoryName(old)), "the emptied directory stays");
        Assert.True(File.Exists(fresh));
        Assert.Equal(1, run.Deleted["export-files"]);
    }

    [Fact]
    public async Task SentMail_LeavesTheOutboxThirtyDaysAfterSending_PendingMailStays()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await owner.UserIdAsync();
        Guid pending;
        await using (var scope = app.Scope())
        {
            // A mail that waits for its next attempt far ahead: not sent, so never due.
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            await scope.ServiceProvider.GetRequiredService<MailOutbox>().QueueAsync(id, owner.Email, "test", "Later", "Body", Ct);
            var mail = db.OutboxMails.Local.Single(m => m.Template == "test");
            mail.NextAttemptAt = app.Clock.GetUtcNow().AddYears(50);
            pending = mail.Id;
            await db.SaveChangesAsync(Ct);
        }
        var eml = Path.Combine(app.Services.GetRequiredService<IOptions<HelioOptions>>().Value.DataPath("mail-outbox"), "20260101T000000-old.eml");
        Directory.CreateDirectory(Path.GetDirectoryName(eml)!);
        await File.WriteAllTextAsync(eml, "To: someone@example.com", Ct);
        File.SetLastWriteTimeUtc(eml, app.Clock.GetUtcNow().UtcDateTime);
        await Eventually.True(async () => await OutboxAsync(id, "confirm-email") is { SentAt: not null }, "the confirmation mail was not sent");

        app.Advance(TimeSpan.FromDays(30) - Minute);
        await app.RunRetentionAsync();
        Assert.NotNull(await OutboxAsync(id, "confirm-email"));

        app.Advance(2 * Minute);
        await app.RunRetentionAsync();
        Assert.Null(await OutboxAsync(id, "confirm-email"));
        Assert.NotNull(await OutboxAsync(id, "test"));
        Assert.False(File.Exists(eml));
        await using (var scope = app.Scope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<HelioDbContext>().OutboxMails.AnyAsync(m => m.Id == pending, Ct));
        }
    }

    [Fact]
    public async Task EndedSessions_GoThirtyDaysAfterTheyEnded()
    {
        var leaving = await app.RegisterOwnerAsync();
        var staying = await app.RegisterOwnerAsync();
        var leavingId = await leaving.UserIdAsync();
        var stayingId = await staying.UserIdAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await leaving.Client.PostAsync("/api/v1/auth/logout", null, Ct)).StatusCode);

        app.Advance(TimeSpan.FromDays(30) - Minute);
        await app.RunRetentionAsync();
        Assert.Equal(1, await SessionsAsync(leavingId));

        app.Advance(2 * Minute);
        await app.RunRetentionAsync();
        Assert.Equal(0, await SessionsAsync(leavingId));
        // Expired 30 days after it began, a minute ago: it stays another 30 days.
        Assert.Equal(1, await SessionsAsync(stayingId));
    }

    [Fact]
    public async Task ClosedInvitations_GoThirtyDaysAfterTheyClosed_PendingOnesStay()
    {
        var admin = await app.RegisterOwnerAsync();
        var organisation = await admin.CreateOrganisationAsync("Retained Solar");
        await app.InviteAsync(admin, organisation, Owners.UniqueEmail("withdrawn"));
        var withdrawn = (await (await admin.Client.GetAsync($"/api/v1/organisations/{organisation}/invitations", Ct)).JsonAsync())[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/organisations/{organisation}/invitations/{withdrawn}", Ct)).StatusCode);
        await app.InviteAsync(admin, organisation, Owners.UniqueEmail("pending"));

        app.Advance(TimeSpan.FromDays(30) - Minute);
        await app.RunRetentionAsync();
        Assert.Equal(2, await InvitationsAsync(organisation));

        app.Advance(2 * Minute);
        await app.RunRetentionAsync();
        // The pending one expired after 14 days, 16 days ago: it goes in another 14.
        Assert.Equal(1, await InvitationsAsync(organisation));
    }

    [Fact]
    public async Task OldAuditEntries_Expire_AndTheRestVerifiesFromASignedCheckpoint()
    {
        // Two sign-ins: at least two entries, whatever ran before.
        await app.RegisterOwnerAsync();
        await app.RegisterOwnerAsync();
        var old = await app.AuditEntriesAsync();
        // Heads an operator kept outside the database before the expiry: the last entry, and one before it.
        var oldHead = $"{old[^1].Seq}:{Convert.ToHexStringLower(old[^1].Hash)}";
        var olderHead = $"{old[^2].Seq}:{Convert.ToHexStringLower(old[^2].Hash)}";
        var oldest = old.Count;

        app.Advance(TimeSpan.FromDays(6 * 366));
        var run = await app.RunRetentionAsync();
        var fresh = await app.RegisterStaffAsync(Roles.Admin);

        var entries = await app.AuditEntriesAsync();
        Assert.True(run.Deleted["audit-entries"] >= oldest, $"{run.Deleted["audit-entries"]} of {oldest} old entries removed");
        Assert.All(entries, e => Assert.True(e.At >= app.Clock.GetUtcNow().AddYears(-6)));
        Assert.Contains(entries, e => e.Action == AuditActions.AuditExpired);
        long checkpoint;
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            checkpoint = await db.Set<AuditCheckpoint>().MaxAsync(c => c.Seq, Ct);
            Assert.Equal(checkpoint + 1, entries[0].Seq);
            Assert.Equal(await db.Set<AuditCheckpoint>().Where(c => c.Seq == checkpoint).Select(c => c.Hash).SingleAsync(Ct), entries[0].PrevHash);
        }
        var verified = await app.VerifyAuditAsync();
        Assert.True(verified.Intact, verified.Explanation);
        Assert.Equal(checkpoint, verified.FromSeq);
        Assert.Equal(entries.Count, verified.Count);

        // The operator's command and the admin page say the same. The last removed entry's hash is the checkpoint's, so
        // a head kept from then still proves the trail; an older one can no longer be checked, and the command says so.
        Assert.Equal(old[^1].Seq, checkpoint);
        var (exit, output) = await ServerCommand.RunAgainstAsync(app, "audit", "verify", oldHead);
        Assert.True(exit == 0, output);
        Assert.Contains($"after the retention checkpoint at entry {checkpoint}", output, StringComparison.Ordinal);
        var older = await ServerCommand.RunAgainstAsync(app, "audit", "verify", olderHead);
        Assert.True(older.Exit == 0, older.Output);
        Assert.Contains("was removed for retention", older.Output, StringComparison.Ordinal);
        var wrong = await ServerCommand.RunAgainstAsync(app, "audit", "verify", $"{checkpoint}:{new string('0', 64)}");
        Assert.Equal(1, wrong.Exit);
        Assert.Contains("the checkpoint holds another hash", wrong.Output, StringComparison.Ordinal);
        var page = await (await app.SignedInAsync(fresh)).PostFormAsync("/admin/audit", "verify");
        Assert.Contains("data-intact=\"true\"", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Someone with database access but not the key cannot move the checkpoint to hide entries.
        await SqlAsync($"""DELETE FROM audit_entries WHERE "Seq" = {checkpoint + 1}""");
        var gap = await app.VerifyAuditAsync();
        Assert.False(gap.Intact);
        Assert.Equal(AuditBreak.SequenceGap, gap.Reason);
        await SqlAsync($"""UPDATE audit_checkpoints SET "Seq" = "Seq" + 1 WHERE "Seq" = {checkpoint}""");
        var forged = await app.VerifyAuditAsync();
        Assert.False(forged.Intact);
        Assert.Equal(AuditBreak.CheckpointInvalid, forged.Reason);
        var (brokenExit, brokenOutput) = await ServerCommand.RunAgainstAsync(app, "audit", "verify");
        Assert.Equal(1, brokenExit);
        Assert.Contains("checkpoint", brokenOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheJob_RunsOnOneNodeAtATime()
    {
        app.RequireAvailable();
        var lease = app.Services.GetRequiredService<IOptions<Features.Privacy.Lifecycle.RetentionOptions>>().Value.RunEvery - TimeSpan.FromMinutes(10);
        var before = app.Clock.GetUtcNow();
        await app.RunRetentionAsync();
        var after = app.Clock.GetUtcNow();
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var held = await db.JobLeases.SingleAsync(l => l.Name == RetentionJob.Job, Ct);
            Assert.Equal(app.Services.GetRequiredService<JobLeases>().Holder, held.Holder);
            Assert.InRange(held.ExpiresAt, before + lease - TimeSpan.FromMilliseconds(1), after + lease);
            // Another node takes it over, as it would after this one died.
            held.Holder = "another-node";
            await db.SaveChangesAsync(Ct);
        }

        Assert.Null(await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(Ct));
        app.Advance(lease + Minute);
        Assert.NotNull(await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(Ct));
    }

    [Fact]
    public async Task TheSchedule_IsShownToAdmins_AsConfigured()
    {
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var owner = await app.RegisterOwnerAsync();

        var schedule = await (await admin.Client.GetAsync("/api/v1/admin/privacy/retention", Ct)).JsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.GetAsync("/api/v1/admin/privacy/retention", Ct)).StatusCode);
        var rules = schedule.EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!, r => r.GetProperty("after").GetString()!);
        Assert.Equal("7 days after registering", rules["unconfirmed-accounts"]);
        Assert.Equal("30 days after sending or giving up", rules["mail-outbox"]);
        Assert.Equal("6 years", rules["audit-entries"]);
        Assert.Equal("730 days", rules["raw-telemetry"]);
    }

    private async Task<OutboxMail?> OutboxAsync(Guid userId, string template)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().OutboxMails.AsNoTracking().FirstOrDefaultAsync(m => m.UserId == userId && m.Template == template, Ct);
    }

    private async Task<int> SessionsAsync(Guid userId)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Sessions.CountAsync(s => s.UserId == userId, Ct);
    }

    private async Task<int> InvitationsAsync(Guid organisation)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().OrganisationInvitations.CountAsync(i => i.OrganisationId == organisation, Ct);
    }

    private async Task SqlAsync(string sql)
    {
        await using var scope = app.Scope();
        await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Database.ExecuteSqlRawAsync(sql, Ct);
    }
}

public sealed class SqliteRetentionScheduleTests(SqlitePrivacyClockApp app) : RetentionScheduleTests(app), IClassFixture<SqlitePrivacyClockApp>;

public sealed class PostgresRetentionScheduleTests(PostgresPrivacyClockApp app) : RetentionScheduleTests(app), IClassFixture<PostgresPrivacyClockApp>;
