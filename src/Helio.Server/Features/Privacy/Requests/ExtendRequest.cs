using System.Globalization;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// More time for a hard request (Art. 12(3)): by one or two months, never more than two in all, counted from receipt
/// (<see cref="DueDates"/>), and only within the first month — the law wants the requester told of an extension, with
/// its reasons, within a month of receipt. The reason is mailed to the requester and kept in the history.
/// </summary>
internal sealed class ExtendRequest(RequestChange change, RequestMails mails, TimeProvider clock)
{
    public const int MaxReason = 2000;

    public async Task<Outcome<ConsoleRequestDto>> HandleAsync(Guid officerId, Guid requestId, ExtendRequestBody body, CancellationToken cancellationToken)
    {
        var found = await change.FindAsync(officerId, requestId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.ToRefusal();
        }
        var request = found.Value!;
        var validation = new Validation().Range("months", body.Months, 1, DueDates.MaxExtensionMonths).Require("reason", body.Reason, MaxReason);
        if (validation.IsValid && request.ExtendedMonths + body.Months > DueDates.MaxExtensionMonths)
        {
            validation.Add("months", request.ExtendedMonths == 0
                ? $"At most {DueDates.MaxExtensionMonths} months in all."
                : $"At most {DueDates.MaxExtensionMonths} months in all; this request has {RequestMails.Months(request.ExtendedMonths)} already.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (!request.IsOpen)
        {
            return RequestChange.NotOpen;
        }
        if (clock.GetUtcNow() >= DueDates.DueAt(request.ReceivedAt, 1))
        {
            return Refusal.Conflict("An extension must be told within one month of receipt (GDPR Art. 12(3)); that month is over.");
        }
        var months = body.Months!.Value;
        var reason = body.Reason!.Trim();
        request.ExtendedMonths += months;
        request.DueAt = DueDates.DueAt(request.ReceivedAt, 1 + request.ExtendedMonths);
        var facts = new Dictionary<string, string>
        {
            ["months"] = months.ToString(CultureInfo.InvariantCulture),
            ["dueDate"] = DueDates.DateOf(request.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return await change.SaveAsync(request, officerId, RequestEventKind.Extended, AuditActions.PrivacyRequestExtended, new EventNote(reason), facts,
            () => mails.ExtendedAsync(request, months, reason, cancellationToken), cancellationToken);
    }
}
