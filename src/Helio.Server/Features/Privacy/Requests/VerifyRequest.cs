using System.Globalization;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The second half of the identity check: the code mailed by <see cref="SubmitRequest"/> (or <see cref="SendNewCode"/>).
/// Each answer is one conditional update on the values just read, so two answers racing each count exactly once: a
/// right code verifies the request and is used up (a second use finds the request verified: 409); a wrong one counts,
/// and the third wrong one kills the code (null hash); an expired code is refused before it is compared. Once
/// verified, the request gets its repetition flag, the acknowledgement goes out, and any
/// <see cref="IRequestFulfilment"/> for its kind is started.
/// </summary>
internal sealed class VerifyRequest(
    HelioDbContext db, RequestIntake intake, RequestHistory history, RequestQueries queries, RequestFulfilments fulfilments, TimeProvider clock)
{
    public async Task<Outcome<PrivacyRequestDto>> HandleAsync(Guid userId, Guid requestId, VerifyRequestBody body, CancellationToken cancellationToken)
    {
        // Ownership first: someone else's request answers like a missing one, whatever the body says.
        if (await queries.FindMineAsync(userId, requestId, cancellationToken) is not { } request)
        {
            return Refusal.NotFound;
        }
        if (string.IsNullOrWhiteSpace(body.Code))
        {
            return Refusal.Invalid("code", "Required: the code from the mail.");
        }
        if (queries.StateOf(request) is not RequestState.Received and var state)
        {
            return Refusal.Conflict(state == RequestState.Expired
                ? "This request expired before its identity check was done: make a new request."
                : "This request is verified already; a code works only once.");
        }
        var now = clock.GetUtcNow();
        if (request.CodeHash is null)
        {
            return Refusal.Conflict("This code no longer works: ask for a new code.");
        }
        if (request.CodeExpiresAt <= now)
        {
            return Refusal.Conflict("This code has expired: ask for a new code.");
        }

        // The values just read: an answer that raced another finds them changed and is refused.
        var unchanged = db.PrivacyRequests.Where(r => r.Id == requestId && r.State == RequestState.Received
            && r.CodeHash == request.CodeHash && r.CodeAttempts == request.CodeAttempts);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!VerificationCodes.Matches(requestId, body.Code, request.CodeHash))
        {
            var attempts = request.CodeAttempts + 1;
            var dead = attempts >= VerificationCodes.MaxAttempts;
            if (await unchanged.ExecuteUpdateAsync(s => s.SetProperty(r => r.CodeAttempts, attempts).SetProperty(r => r.CodeHash, dead ? null : request.CodeHash), cancellationToken) == 0)
            {
                return Refusal.Conflict("Another answer to this code came in at the same time: try again.");
            }
            await history.AppendAsync(request, RequestEventKind.CodeFailed, userId, now, AuditActions.PrivacyRequestCodeFailed,
                facts: new Dictionary<string, string> { ["attemptsLeft"] = (VerificationCodes.MaxAttempts - attempts).ToString(CultureInfo.InvariantCulture) },
                cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Refusal.Invalid("code", dead
                ? "The code is not correct, and that was its last try: ask for a new code."
                : $"The code is not correct; {VerificationCodes.MaxAttempts - attempts} tries left.");
        }

        var before = await intake.VerifiedInLast12MonthsAsync(userId, request.Kind, requestId, now, cancellationToken);
        var excessive = intake.IsExcessive(before);
        if (await unchanged.ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, RequestState.Verified).SetProperty(r => r.VerifiedAt, now).SetProperty(r => r.PossiblyExcessive, excessive)
                .SetProperty(r => r.CodeHash, (byte[]?)null).SetProperty(r => r.CodeExpiresAt, (DateTimeOffset?)null), cancellationToken) == 0)
        {
            return Refusal.Conflict("Another answer to this code came in at the same time: try again.");
        }
        request.State = RequestState.Verified;
        request.VerifiedAt = now;
        request.PossiblyExcessive = excessive;
        await intake.AcceptAsync(request, before, "code", now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await fulfilments.StartAsync(request, cancellationToken);
        return (await queries.MineAsync(userId, requestId, cancellationToken))!;
    }
}
