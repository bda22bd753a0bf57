using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// A fresh code for a request still waiting for its identity check (the mail came late, or the code died): the
/// password again, then a new code with its own lifetime and tries, replacing the old one. At most
/// <see cref="MaxCodes"/> codes per request, and only within the request's lifetime; after that, a new request.
/// </summary>
internal sealed class SendNewCode(HelioDbContext db, CheckCredentials credentials, RequestQueries queries, RequestHistory history, RequestMails mails, TimeProvider clock)
{
    public const int MaxCodes = 3;

    public async Task<Outcome<PrivacyRequestDto>> HandleAsync(Guid userId, Guid requestId, NewCodeBody body, CancellationToken cancellationToken)
    {
        if (await queries.FindMineAsync(userId, requestId, cancellationToken) is not { } request)
        {
            return Refusal.NotFound;
        }
        if (string.IsNullOrEmpty(body.Password))
        {
            return Refusal.Invalid("password", SubmitRequest.PasswordRequired);
        }
        if (queries.StateOf(request) != RequestState.Received)
        {
            return Refusal.Conflict("Only a request waiting for its identity check gets a new code.");
        }
        if (request.CodesSent >= MaxCodes)
        {
            return Refusal.Conflict($"This request has had {MaxCodes} codes: make a new request.");
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (!await credentials.PasswordAsync(user, body.Password, cancellationToken))
        {
            return SubmitRequest.WrongPassword;
        }

        var now = clock.GetUtcNow();
        var code = VerificationCodes.New();
        var hash = VerificationCodes.Hash(requestId, code);
        var expires = now + VerificationCodes.Lifetime;
        var sent = request.CodesSent + 1;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.PrivacyRequests.Where(r => r.Id == requestId && r.State == RequestState.Received && r.CodesSent == request.CodesSent)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CodeHash, hash).SetProperty(r => r.CodeExpiresAt, expires)
                .SetProperty(r => r.CodeAttempts, 0).SetProperty(r => r.CodesSent, sent), cancellationToken);
        if (updated == 0)
        {
            return Refusal.Conflict("The request changed meanwhile: reload it.");
        }
        await mails.CodeAsync(request, code, cancellationToken);
        await history.AppendAsync(request, RequestEventKind.CodeSent, userId, now, null, cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await queries.MineAsync(userId, requestId, cancellationToken))!;
    }
}
