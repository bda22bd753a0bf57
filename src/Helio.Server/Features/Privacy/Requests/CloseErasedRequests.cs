using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// Called by the erasure of an account, whatever erased it (a deletion request, the end of a cancellation's grace
/// period, the retention of an unconfirmed or child account): every request of the person's still open is closed, so
/// none waits on the console for an account that is gone. A deletion or cancellation whose identity was verified is
/// completed (the erasure is what it asked for); one never verified expires; any other is closed unanswered. The lines
/// carry facts only: a note would be encrypted under the data key the erasure shreds. Inside the erasure's transaction.
/// </summary>
internal sealed class CloseErasedRequests(HelioDbContext db, RequestHistory history, TimeProvider clock)
{
    /// <summary>The fact every closing line carries.</summary>
    public const string Because = "the account was erased";

    /// <returns>How many requests were closed.</returns>
    public async Task<int> HandleAsync(Guid userId, CancellationToken cancellationToken)
    {
        var open = await db.PrivacyRequests
            .Where(r => r.UserId == userId && (r.State == RequestState.Received || r.State == RequestState.Verified || r.State == RequestState.InProgress))
            .OrderBy(r => r.ReceivedAt).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        // When is the line's own time and the request's ClosedAt; the fact says why.
        var facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["closedBecause"] = Because };
        foreach (var request in open)
        {
            var (state, line, action) = request.State == RequestState.Received
                ? (RequestState.Expired, RequestEventKind.Expired, AuditActions.PrivacyRequestExpired)
                : request.Kind is RequestKind.Deletion or RequestKind.Cancellation
                    ? (RequestState.Completed, RequestEventKind.Completed, AuditActions.PrivacyRequestCompleted)
                    : (RequestState.Closed, RequestEventKind.Closed, AuditActions.PrivacyRequestClosed);
            request.State = state;
            request.ClosedAt = now;
            request.CodeHash = null;
            request.CodeExpiresAt = null;
            request.Version++;
            await history.AppendAsync(request, line, null, now, action, facts: facts, cancellationToken: cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return open.Count;
    }
}
