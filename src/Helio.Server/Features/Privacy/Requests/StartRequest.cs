using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>A privacy officer (or a fulfilment) takes a verified request up: verified → in progress.</summary>
internal sealed class StartRequest(RequestChange change)
{
    /// <param name="officerId">Null when Helio itself starts the work (an <see cref="IRequestFulfilment"/>).</param>
    public async Task<Outcome<ConsoleRequestDto>> HandleAsync(Guid? officerId, Guid requestId, CancellationToken cancellationToken)
    {
        var found = await change.FindAsync(officerId, requestId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.ToRefusal();
        }
        var request = found.Value!;
        if (change.HelioAnswers(officerId, request, refusing: false) is { } helio)
        {
            return helio;
        }
        if (request.State != RequestState.Verified)
        {
            return Refusal.Conflict(request.State == RequestState.InProgress ? "It is in progress already." : RequestChange.NotOpen.Message!);
        }
        request.State = RequestState.InProgress;
        return await change.SaveAsync(request, officerId, RequestEventKind.Started, AuditActions.PrivacyRequestStarted, null, null, null, cancellationToken);
    }
}
