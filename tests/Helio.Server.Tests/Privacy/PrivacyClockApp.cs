using System.Collections.Concurrent;
using System.Net.Http.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Lifecycle.Retention;
using Helio.Server.Platform.Data;
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
/// not run by itself: tests run it with <see cref="Retention.RunRetentionAsync"/>, after moving the clock. Cancellations come from
/// <see cref="Cancellations"/>, standing in for the cancellation feature behind the seam.
/// </summary>
public abstract class PrivacyClockApp(Provider provider) : HelioApp(provider)
{
    public ShiftedClock Clock { get; } = new();

    /// <summary>Moves the app's clock forward; tokens issued before may have expired on it.</summary>
    public void Advance(TimeSpan by) => Clock.MoveTo(Clock.GetUtcNow() + by);

    public TestCancellations Cancellations { get; } = new();

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
        // Small batches, so that every rule takes several.
        builder.UseSetting("Privacy:Retention:BatchSize", "2");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ICancelledAccounts>(Cancellations);
        });
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

/// <summary>The cancellation feature's side of the seam, for tests: accounts cancelled at given instants.</summary>
public sealed class TestCancellations : ICancelledAccounts
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> cancelled = new();

    public void Cancel(Guid userId, DateTimeOffset at) => cancelled[userId] = at;

    public Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset cancelledBefore, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>(cancelled.Where(c => c.Value < cancelledBefore).OrderBy(c => c.Value).Select(c => c.Key).Take(max).ToList());

    /// <summary>What the cancellation feature does after erasure: the account is no longer cancelled, it is gone.</summary>
    public void Forget(Guid userId) => cancelled.TryRemove(userId, out _);
}
