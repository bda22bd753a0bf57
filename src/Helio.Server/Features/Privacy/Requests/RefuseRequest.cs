using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// A refusal (Art. 12(4), (5)): always with its reason, and with the route to complain — the privacy officer's own
/// words, or by default the configured privacy contact and supervisory authority (Privacy:Contact). Both are stored in
/// the history and mailed to the requester.
/// </summary>
internal sealed class RefuseRequest(RequestChange change, RequestMails mails, TimeProvider clock, IOptions<PrivacyRequestsOptions> options)
{
    public const int MaxReason = 4000, MaxComplaintRoute = 1000;

    public async Task<Outcome<ConsoleRequestDto>> HandleAsync(Guid? officerId, Guid requestId, RefuseRequestBody body, CancellationToken cancellationToken)
    {
        var found = await change.FindAsync(officerId, requestId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.ToRefusal();
        }
        var validation = new Validation().Require("reason", body.Reason, MaxReason).Optional("complaintRoute", body.ComplaintRoute, MaxComplaintRoute);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var request = found.Value!;
        if (change.HelioAnswers(officerId, request, refusing: true) is { } helio)
        {
            return helio;
        }
        if (!request.IsOpen)
        {
            return RequestChange.NotOpen;
        }
        var reason = body.Reason!.Trim();
        var route = string.IsNullOrWhiteSpace(body.ComplaintRoute) ? options.Value.Contact.ComplaintRoute() : body.ComplaintRoute.Trim();
        request.State = RequestState.Refused;
        request.ClosedAt = clock.GetUtcNow();
        return await change.SaveAsync(request, officerId, RequestEventKind.Refused, AuditActions.PrivacyRequestRefused, new EventNote(reason, route), null,
            () => mails.RefusedAsync(request, reason, route, cancellationToken), cancellationToken);
    }
}
