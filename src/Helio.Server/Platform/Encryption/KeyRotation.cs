using System.Xml.Linq;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Platform.Encryption;

/// <summary>What a rotation did. <see cref="DueSince"/> is set when a KEK that must go still exists afterwards (keys
/// from configuration, which only the operator can change).</summary>
public sealed record KeyRotationRun(string? NewKekId, int Rewrapped, IReadOnlyList<string> Destroyed, int Backups, DateTimeOffset? DueSince);

/// <summary>
/// Destroys the KEKs that could unwrap a shredded data key from an older copy of the database (ADR 0027). Every minute
/// (<see cref="EncryptionOptions.RotationCheckEvery"/>) it looks for <see cref="KekRetirement"/> rows; when there are some, one node (a lease) rotates: a new KEK becomes
/// current if the current one is marked, every data key and every Data Protection key is re-wrapped under it, Helio's
/// own backups are brought along (<see cref="ManagedBackups"/>), and every other KEK file is deleted. Erasures in the
/// same minute share one rotation. With keys from configuration Helio cannot make or delete keys: it re-wraps what it
/// can, keeps the rows as the record that a rotation is due since the oldest, warns in the log and turns the readiness
/// check to Degraded (<see cref="KeyRotationDue"/>) until the operator has removed the marked keys.
/// </summary>
internal sealed partial class KeyRotation(
    IServiceScopeFactory scopes, JobLeases leases, KeyRing keys, IOptions<EncryptionOptions> options, TimeProvider time, ILogger<KeyRotation> logger)
    : BackgroundService
{
    public const string Job = "key-rotation";
    // The command and the job may both rotate in one process; they share the lease's holder, so this orders them.
    private readonly SemaphoreSlim gate = new(1, 1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.RunAsync(options.Value.RotationCheckEvery, time, async ct => await RunOnceAsync(ct), e => LogFailed(logger, e), stoppingToken);

    /// <summary>Rotates if an erasure asked for it; null when nothing was due or another node holds the lease.</summary>
    public Task<KeyRotationRun?> RunOnceAsync(CancellationToken cancellationToken) => RotateAsync(force: false, cancellationToken);

    /// <summary>Rotates whether or not anything was due (<c>helio keys rotate</c>); null when another node holds the lease.</summary>
    public Task<KeyRotationRun?> RotateNowAsync(CancellationToken cancellationToken) => RotateAsync(force: true, cancellationToken);

    private async Task<KeyRotationRun?> RotateAsync(bool force, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var marked = await db.KekRetirements.Select(r => r.KekId).Distinct().ToListAsync(cancellationToken);
            if ((marked.Count == 0 && !force) || !await leases.TryAcquireAsync(db, Job, TimeSpan.FromMinutes(10), cancellationToken))
            {
                return null;
            }
            string? added = null;
            if (!keys.FromConfiguration && (force || marked.Contains(keys.CurrentKeyId)))
            {
                added = keys.AddKekFile();
            }
            var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
            var rewrapped = await protector.RewrapAllAsync(cancellationToken);
            await RewrapProtectionKeysAsync(db, cancellationToken);
            var backups = await scope.ServiceProvider.GetRequiredService<ManagedBackups>().RewrapAsync(cancellationToken);
            IReadOnlyList<string> destroyed = [];
            if (!keys.FromConfiguration)
            {
                // A data key wrapped by an older KEK just before it stopped being current would die with that KEK: look again.
                rewrapped += await protector.RewrapAllAsync(cancellationToken);
                destroyed = keys.DestroyOtherKekFiles();
            }
            var remaining = keys.KekIds.ToList();
            await db.KekRetirements.Where(r => !remaining.Contains(r.KekId)).ExecuteDeleteAsync(cancellationToken);
            var due = await db.KekRetirements.OrderBy(r => r.DueSince).Select(r => (DateTimeOffset?)r.DueSince).FirstOrDefaultAsync(cancellationToken);
            LogRotated(logger, keys.CurrentKeyId, rewrapped, destroyed.Count, backups);
            if (due is { } since)
            {
                var stale = await db.KekRetirements.Select(r => r.KekId).Distinct().ToListAsync(cancellationToken);
                LogDue(logger, since, string.Join(", ", stale));
            }
            return new KeyRotationRun(added, rewrapped, destroyed, backups, due);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task RewrapProtectionKeysAsync(HelioDbContext db, CancellationToken cancellationToken)
    {
        foreach (var row in await db.DataProtectionKeys.ToListAsync(cancellationToken))
        {
            if (row.Xml is null)
            {
                continue;
            }
            var element = XElement.Parse(row.Xml);
            if (KekXmlDecryptor.Reencrypt(keys, element))
            {
                row.Xml = element.ToString(SaveOptions.DisableFormatting);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Key rotation: current key-encryption key {KekId}, {Rewrapped} data keys re-wrapped, {Destroyed} old keys destroyed, {Backups} managed backups re-wrapped")]
    private static partial void LogRotated(ILogger logger, string kekId, int rewrapped, int destroyed, int backups);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key rotation due since {Since:o}: backups taken before an erasure still decrypt while key-encryption key(s) {KekIds} exist. Keys come from configuration: add a new key, make it Encryption:CurrentKeyId on every node, then remove these (docs/adr/0027)")]
    private static partial void LogDue(ILogger logger, DateTimeOffset since, string kekIds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key rotation failed; next try in a minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
