using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Platform.Jobs;

/// <summary>
/// Who runs a singleton background job (rollups, retention) until when. Several nodes share one database; the lease
/// lets exactly one of them do the job at a time, and another take over within one lease period if it dies.
/// </summary>
public sealed class JobLease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> builder)
    {
        builder.ToTable("job_leases");
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(64);
        builder.Property(l => l.Holder).HasMaxLength(100);
    }
}

/// <summary>Takes or renews a job's lease for this node.</summary>
public sealed class JobLeases(TimeProvider time)
{
    /// <summary>This node, for as long as the process lives: a restarted node waits for its old lease to expire.</summary>
    public string Holder { get; } = $"{Environment.MachineName[..Math.Min(40, Environment.MachineName.Length)]}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>True when this node holds the lease (newly or still) until now + <paramref name="duration"/>.</summary>
    public async Task<bool> TryAcquireAsync(HelioDbContext db, string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expires = now + duration;
        var holder = Holder;
        var taken = await db.Set<JobLease>()
            .Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, expires), cancellationToken);
        if (taken == 1)
        {
            return true;
        }
        if (await db.Set<JobLease>().AnyAsync(l => l.Name == name, cancellationToken))
        {
            return false;
        }
        try
        {
            db.Add(new JobLease { Name = name, Holder = holder, ExpiresAt = expires });
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another node created it first: it holds the lease.
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
