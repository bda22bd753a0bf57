using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Mail;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Helio.Server.Tests.Platform;

/// <summary>An SMTP server that is down: mails wait, retry with growing pauses, then fail visibly.</summary>
public sealed class DeadSmtpApp() : HelioApp(Provider.Sqlite)
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        // Nothing listens on port 9 (discard) here: every connection is refused.
        builder.UseSetting("Mail:Smtp:Port", "9");
        builder.UseSetting("Mail:MaxAttempts", "3");
        builder.UseSetting("Mail:PollInterval", "01:00:00");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // The test drives delivery itself, one batch at a time: no background worker racing it.
            services.Remove(services.Single(d => d.ImplementationType == typeof(MailOutboxWorker)));
            services.AddSingleton<MailOutboxWorker>();
        });
    }
}

public sealed class MailOutboxTests(DeadSmtpApp app) : IClassFixture<DeadSmtpApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnreachableSmtp_RetriesWithBackoff_ThenFailsVisibly_WithoutLoggingTheAddress()
    {
        var userId = Guid.NewGuid();
        var mailId = Guid.Empty;
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            db.UserDataKeys.Add(scope.ServiceProvider.GetRequiredService<PersonalDataProtector>().CreateDataKey(userId));
            await scope.ServiceProvider.GetRequiredService<MailOutbox>().QueueAsync(userId, "victim.of.outage@example.com", "test", "Hello", "Body", Ct);
            await db.SaveChangesAsync(Ct);
            mailId = await db.OutboxMails.Where(m => m.UserId == userId).Select(m => m.Id).SingleAsync(Ct);
        }
        var worker = app.Services.GetRequiredService<MailOutboxWorker>();

        await worker.DeliverBatchAsync(Ct);
        var first = await MailAsync(mailId);
        Assert.Equal(1, first.Attempts);
        Assert.Null(first.SentAt);
        Assert.Equal(app.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), first.NextAttemptAt);
        Assert.False(string.IsNullOrEmpty(first.LastError));

        await worker.DeliverBatchAsync(Ct);
        Assert.Equal(1, (await MailAsync(mailId)).Attempts); // not due yet

        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await worker.DeliverBatchAsync(Ct);
        var second = await MailAsync(mailId);
        Assert.Equal(2, second.Attempts);
        Assert.Equal(app.Clock.GetUtcNow() + TimeSpan.FromSeconds(60), second.NextAttemptAt);

        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await worker.DeliverBatchAsync(Ct);
        var last = await MailAsync(mailId);
        Assert.Equal(3, last.Attempts);
        Assert.NotNull(last.FailedAt);
        Assert.Contains(app.Logs.Lines, l => l.Contains(mailId.ToString(), StringComparison.Ordinal) && l.Contains("giving up", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("victim.of.outage", StringComparison.Ordinal));
    }

    private async Task<OutboxMail> MailAsync(Guid id)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().OutboxMails.AsNoTracking().SingleAsync(m => m.Id == id, Ct);
    }
}

public sealed class MailDeliveryTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task DeliveredMail_KeepsNoContent()
    {
        await app.RegisterOwnerAsync();
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();

        // The mail can reach the SMTP server a moment before the outbox records it as sent: wait for the record.
        List<OutboxMail> sent = [];
        await Eventually.True(async () =>
        {
            sent = await db.OutboxMails.AsNoTracking().Where(m => m.Template == "confirm-email" && m.SentAt != null).ToListAsync(TestContext.Current.CancellationToken);
            return sent.Count > 0;
        }, "the outbox records the mail as sent");

        Assert.All(sent, m => Assert.Null(m.MessageCipher));
    }
}
