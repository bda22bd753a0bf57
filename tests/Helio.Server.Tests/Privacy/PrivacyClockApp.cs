using System.Net.Http.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Helio.Server.Tests.Alarms;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Helio on a clock the tests move forward (<see cref="Advance"/>) while its timers stay real: a FakeTimeProvider
/// advanced by years would fire every minute-timer of the app once per minute skipped. In the EU region
/// with transfer bases on record for GB (adequacy), US (consent) and CN (standard contract). The retention job does
/// not run by itself: tests run it with <see cref="Retention.RunRetentionAsync"/>, after moving the clock. The deletion job
/// polls often, so an erasure it carries out (a deletion request, a cancellation handed over by the retention job) is done
/// in a second or so.
/// </summary>
public abstract class PrivacyClockApp(Provider provider) : HelioApp(provider)
{
    public ShiftedClock Clock { get; } = new();

    /// <summary>Moves the app's clock forward; tokens issued before may have expired on it.</summary>
    public void Advance(TimeSpan by) => Clock.MoveTo(Clock.GetUtcNow() + by);

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        builder.UseSetting("Privacy:Region", "EU");
        builder.UseSetting("Privacy:Transfers:GB:Basis", "adequacy");
        builder.UseSetting("Privacy:Transfers:GB:Reference", "Commission implementing decision (EU) 2021/1772");
        builder.UseSetting("Privacy:Transfers:US:Basis", "consent");
        builder.UseSetting("Privacy:Transfers:US:Reference", "Explicit consent per transfer, GDPR Art. 49(1)(a)");
        builder.UseSetting("Privacy:Transfers:CN:Basis", "standard-contract");
        builder.UseSetting("Privacy:Transfers:CN:Reference", "SCC 2021/914 module 1, signed 2026-01-15");
        builder.UseSetting("Privacy:Retention:Enabled", "false");
        builder.UseSetting("Privacy:Deletion:PollInterval", "00:00:00.200");
        // Small batches, so that every rule takes several.
        builder.UseSetting("Privacy:Retention:BatchSize", "2");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>The user's audit pseudonym, made now if they have none yet: after an erasure it finds the erasure's entry,
    /// which names its subject only so.</summary>
    public async Task<Guid> PseudonymAsync(Guid userId)
    {
        await using var scope = Scope();
        var pseudonym = await scope.ServiceProvider.GetRequiredService<AuditTrail>().PseudonymAsync(userId, TestContext.Current.CancellationToken);
        await scope.ServiceProvider.GetRequiredService<HelioDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        return pseudonym;
    }

    /// <summary>The audit entry of the erasure of the person known by <paramref name="pseudonym"/>.</summary>
    public async Task<AuditEntry> ErasureEntryAsync(Guid pseudonym) =>
        Assert.Single(await this.AuditEntriesAsync(), e => e.Action == AuditActions.AccountDeleted && e.SubjectId == pseudonym);

    /// <summary>Another node holds <paramref name="job"/>'s lease until disposed: what the job would take waits, so a test
    /// can line up what it will find.</summary>
    public async Task<IAsyncDisposable> HoldJobAsync(string job)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        // This node's lease from an earlier run may still stand (a job keeps it till it expires): taken over.
        await db.JobLeases.Where(l => l.Name == job).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        Assert.True(await new JobLeases(Clock).TryAcquireAsync(db, job, TimeSpan.FromHours(1), TestContext.Current.CancellationToken), $"the lease of {job} is held");
        return new LeaseRelease(this, job);
    }

    private sealed class LeaseRelease(PrivacyClockApp app, string job) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var scope = app.Scope();
            await scope.ServiceProvider.GetRequiredService<HelioDbContext>().JobLeases.Where(l => l.Name == job).ExecuteDeleteAsync();
        }
    }

    /// <summary>Registers without confirming; returns the new account's id, read from the confirmation mail.</summary>
    public async Task<Guid> RegisterUnconfirmedAsync(string email, string dateOfBirth = Owners.AdultBirthDate, string country = "DE", string? guardianEmail = null)
    {
        var response = await Anonymous().PostAsJsonAsync("/api/v1/account/register",
            new { email, password = Owners.Password, name = "Young Person", country, dateOfBirth, guardianEmail }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var mail = await Mail.WaitForAsync(email, "Confirm your Helio account");
        return Owners.LinkParameters(mail.TextBody!, "/account/confirm-email").UserId;
    }

    /// <summary>A date of birth <paramref name="years"/> years before the clock's today (plus a day, so the birthday has passed).</summary>
    public string BornYearsAgo(int years) =>
        DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).AddYears(-years).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class SqlitePrivacyClockApp() : PrivacyClockApp(Provider.Sqlite);

public sealed class PostgresPrivacyClockApp() : PrivacyClockApp(Provider.Postgres);
