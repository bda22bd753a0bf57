using System.Globalization;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// What every new request goes through, whichever way it came (a data-subject request with its code, a complaint from
/// a signed-in session): the cap on open requests, the record itself, and its acceptance — the repetition check
/// (Art. 12(5)), the acknowledgement with the due date, and the privacy officers' notice.
/// </summary>
internal sealed class RequestIntake(
    HelioDbContext db, PersonalDataProtector protector, RequestHistory history, RequestMails mails, TimeProvider clock, IOptions<PrivacyRequestsOptions> options,
    IEnumerable<AnsweredByHelio> answeredByHelio)
{
    /// <summary>Unanswered requests one person may have at once: far above any honest need, a cap on a flood.</summary>
    public const int MaxOpenPerUser = 20;

    public async Task<Refusal?> RefuseIfTooManyAsync(Guid userId, CancellationToken cancellationToken)
    {
        var unverifiedSince = clock.GetUtcNow() - options.Value.UnverifiedRequestLifetime;
        var open = await db.PrivacyRequests.CountAsync(r => r.UserId == userId
            && (r.State == RequestState.Verified || r.State == RequestState.InProgress || (r.State == RequestState.Received && r.ReceivedAt > unverifiedSince)), cancellationToken);
        return open >= MaxOpenPerUser
            ? Refusal.Conflict($"You have {MaxOpenPerUser} requests waiting for an answer already: wait for those first.")
            : null;
    }

    public async Task<PrivacyRequest> NewAsync(Guid userId, RequestKind kind, RequestDetails details, string? decision, DateTimeOffset now, CancellationToken cancellationToken) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        Kind = kind,
        State = RequestState.Received,
        DetailsCipher = await protector.EncryptAsync(userId, SubmitRequest.DetailsField, details.ToJson(), cancellationToken),
        Decision = decision,
        ReceivedAt = now,
        DueAt = DueDates.DueAt(now, 1),
    };

    /// <summary>How many requests of this kind the person made (identity verified) in the 12 months before
    /// <paramref name="now"/>, not counting <paramref name="except"/>.</summary>
    public Task<int> VerifiedInLast12MonthsAsync(Guid userId, RequestKind kind, Guid except, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddMonths(-12);
        return db.PrivacyRequests.CountAsync(r => r.UserId == userId && r.Kind == kind && r.Id != except && r.VerifiedAt > since, cancellationToken);
    }

    /// <summary>More than the configured number in 12 months, this one included.</summary>
    public bool IsExcessive(int before) => before + 1 > options.Value.ExcessiveRequestsPer12Months;

    /// <summary>
    /// The request is actionable from now on: its history and audit say how it was verified, the requester gets the due
    /// date, and the privacy officers a notice. A kind Helio carries out alone (<see cref="AnsweredByHelio"/>) gets
    /// neither mail: "with our privacy officer" would not be true, and its own mails follow within seconds (a
    /// cancellation's answer, a deletion's final confirmation). Call inside the transaction that stored it as verified.
    /// </summary>
    public async Task AcceptAsync(PrivacyRequest request, int before, string how, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!answeredByHelio.Any(a => a.Kind == request.Kind))
        {
            await mails.VerifiedAsync(request, cancellationToken);
            await mails.NewToOfficersAsync(request, cancellationToken);
        }
        await history.AppendAsync(request, RequestEventKind.Verified, request.UserId, now, AuditActions.PrivacyRequestVerified, facts: new Dictionary<string, string>
        {
            ["by"] = how,
            ["sameKindIn12Months"] = (before + 1).ToString(CultureInfo.InvariantCulture),
            ["possiblyExcessive"] = request.PossiblyExcessive ? "true" : "false",
            ["dueDate"] = DueDates.DateOf(request.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, cancellationToken: cancellationToken);
    }
}
