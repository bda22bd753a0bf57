using Helio.Server.Platform.Data;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>Sessions are shown to their user for <see cref="RetentionOptions.EndedSessionDays"/> after they expired or were
/// ended (sign-out, password change), then deleted.</summary>
internal sealed class EndedSessions(HelioDbContext db, IOptions<RetentionOptions> options) : IRetentionRule
{
    public string Name => "ended-sessions";

    public Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.EndedSessionDays);
        return RetentionBatches.DeleteAsync(db.Sessions.Where(s => s.ExpiresAt < cutoff || s.RevokedAt < cutoff).OrderBy(s => s.Id),
            options.Value.BatchSize, options.Value.MaxBatchesPerRun, cancellationToken);
    }
}
