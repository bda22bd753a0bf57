using System.Globalization;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// A fee for a manifestly unfounded or excessive request (Art. 12(5)), "for the cost of the request" as the policy
/// says: its amount, currency and reason, once per request, mailed to the requester. The request stays open; charging
/// is outside Helio.
/// </summary>
internal sealed class RecordFee(RequestChange change, RequestMails mails, TimeProvider clock)
{
    public const int MaxReason = 2000;
    /// <summary>A sanity bound: a fee covers the cost of an answer, not more.</summary>
    public const decimal MaxAmount = 10_000;

    public async Task<Outcome<ConsoleRequestDto>> HandleAsync(Guid officerId, Guid requestId, RecordFeeBody body, CancellationToken cancellationToken)
    {
        var found = await change.FindAsync(officerId, requestId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.ToRefusal();
        }
        var validation = new Validation().Require("reason", body.Reason, MaxReason);
        if (body.Amount is not { } amount || amount <= 0 || amount > MaxAmount || decimal.Round(amount, 2) != amount)
        {
            validation.Add("amount", $"Must be more than 0 and at most {MaxAmount.ToString(CultureInfo.InvariantCulture)}, in cents at most.");
        }
        var currency = body.Currency?.Trim().ToUpperInvariant();
        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper))
        {
            validation.Add("currency", "Must be an ISO 4217 code, e.g. EUR.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var request = found.Value!;
        if (!request.IsOpen)
        {
            return RequestChange.NotOpen;
        }
        if (request.FeeRecordedAt is not null)
        {
            return Refusal.Conflict("A fee is recorded for this request already.");
        }
        var reason = body.Reason!.Trim();
        request.FeeRecordedAt = clock.GetUtcNow();
        var facts = new Dictionary<string, string> { ["amount"] = body.Amount!.Value.ToString("0.00", CultureInfo.InvariantCulture), ["currency"] = currency! };
        return await change.SaveAsync(request, officerId, RequestEventKind.FeeRecorded, AuditActions.PrivacyRequestFeeRecorded, new EventNote(reason), facts,
            () => mails.FeeAsync(request, body.Amount.Value, currency!, reason, cancellationToken), cancellationToken);
    }
}
