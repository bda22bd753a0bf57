using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// How a privacy officer (or Helio, through an <see cref="IRequestFulfilment"/>) changes a request: find it (a missing
/// one is 404; an officer's own request is not theirs to handle, 403), change it, and save the change with its history
/// line, audit entry and mail in one transaction. The request's version makes the save conditional, so of two officers
/// acting at once the second gets 409 instead of overwriting the first.
/// </summary>
internal sealed class RequestChange(HelioDbContext db, RequestHistory history, RequestQueries queries, TimeProvider clock, IEnumerable<AnsweredByHelio> answeredByHelio)
{
    public static Refusal NotOpen { get; } = Refusal.Conflict("Only a verified request that is not answered yet can change.");

    /// <summary>
    /// An officer's step on a request Helio carries out alone (<see cref="AnsweredByHelio"/>): never started or
    /// completed by hand, and refused only while it waits (verified), because once the work started the recipients have
    /// been asked to delete the data, which cannot be recalled. Null when the step may go on.
    /// </summary>
    public Refusal? HelioAnswers(Guid? officerId, PrivacyRequest request, bool refusing)
    {
        if (officerId is null || !answeredByHelio.Any(a => a.Kind == request.Kind))
        {
            return null;
        }
        if (!refusing)
        {
            return Refusal.Conflict($"Helio carries out a {RequestText.Kind(request.Kind)} itself and completes it: you may extend the time, or refuse it with reasons before the work starts.");
        }
        return request.State == RequestState.InProgress
            ? Refusal.Conflict("The work is under way: the recipients have been asked to delete the data, and that cannot be recalled.")
            : null;
    }

    /// <param name="officerId">The privacy officer acting, or null for Helio itself.</param>
    public async Task<Outcome<PrivacyRequest>> FindAsync(Guid? officerId, Guid requestId, CancellationToken cancellationToken)
    {
        var request = await db.PrivacyRequests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return Refusal.NotFound;
        }
        // Segregation of duties: nobody answers their own request.
        return officerId == request.UserId
            ? Refusal.Forbidden("This is your own request: another privacy officer handles it.")
            : request;
    }

    /// <summary>Saves the changes made to <paramref name="request"/> (found by <see cref="FindAsync"/>) and records them.</summary>
    /// <param name="mail">Queues the requester's mail about the change, if any.</param>
    public async Task<Outcome<ConsoleRequestDto>> SaveAsync(
        PrivacyRequest request, Guid? officerId, RequestEventKind kind, string? auditAction, EventNote? note, IReadOnlyDictionary<string, string>? facts,
        Func<Task>? mail, CancellationToken cancellationToken, Guid? plantId = null)
    {
        var now = clock.GetUtcNow();
        request.Version++;
        // Inside the caller's transaction when there is one (a repair deletes readings in it), else in one of its own;
        // a refusal leaves the caller's uncommitted, so it rolls back as it is disposed.
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                return Refusal.Conflict("The request changed meanwhile: reload it.");
            }
            if (mail is not null)
            {
                await mail();
            }
            await history.AppendAsync(request, kind, officerId, now, auditAction, note, facts, plantId, cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
        return (await queries.ConsoleSummaryAsync(request.Id, cancellationToken))!;
    }
}
