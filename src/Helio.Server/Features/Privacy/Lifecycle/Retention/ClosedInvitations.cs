using Helio.Server.Platform.Data;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>Invitations to an organisation or to a plant hold the invitee's address (as a blind index and ciphertext):
/// once accepted, withdrawn or expired they are kept <see cref="RetentionOptions.ClosedInvitationDays"/> for the
/// inviter's list, then deleted.</summary>
internal sealed class ClosedInvitations(HelioDbContext db, IOptions<RetentionOptions> options) : IRetentionRule
{
    public string Name => "closed-invitations";

    public async Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.ClosedInvitationDays);
        var (size, batches) = (options.Value.BatchSize, options.Value.MaxBatchesPerRun);
        return await RetentionBatches.DeleteAsync(
                db.OrganisationInvitations.Where(i => i.AcceptedAt < cutoff || i.RevokedAt < cutoff || i.ExpiresAt < cutoff).OrderBy(i => i.Id), size, batches, cancellationToken)
            + await RetentionBatches.DeleteAsync(
                db.ShareInvitations.Where(i => i.AcceptedAt < cutoff || i.RevokedAt < cutoff || i.ExpiresAt < cutoff).OrderBy(i => i.Id), size, batches, cancellationToken);
    }
}
