using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The answer: a verified or in-progress request is completed with a written outcome, which the requester reads on
/// their request and in a mail — for a review, the human decision; for a correction, what was repaired; for a
/// complaint, the reply.
/// </summary>
internal sealed class CompleteRequest(RequestChange change, RequestMails mails, TimeProvider clock)
{
    public const int MaxOutcome = 4000;

    /// <param name="officerId">Null when Helio itself completes the work (an <see cref="IRequestFulfilment"/>).</param>
    public async Task<Outcome<ConsoleRequestDto>> HandleAsync(Guid? officerId, Guid requestId, CompleteRequestBody body, CancellationToken cancellationToken)
    {
        var found = await change.FindAsync(officerId, requestId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.ToRefusal();
        }
        var validation = new Validation().Require("outcome", body.Outcome, MaxOutcome);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var request = found.Value!;
        if (change.HelioAnswers(officerId, request, refusing: false) is { } helio)
        {
            return helio;
        }
        if (!request.IsOpen)
        {
            return RequestChange.NotOpen;
        }
        var outcome = body.Outcome!.Trim();
        request.State = RequestState.Completed;
        request.ClosedAt = clock.GetUtcNow();
        return await change.SaveAsync(request, officerId, RequestEventKind.Completed, AuditActions.PrivacyRequestCompleted, new EventNote(outcome), null,
            () => mails.CompletedAsync(request, outcome, cancellationToken), cancellationToken);
    }
}
