using System.Globalization;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// "Apply for cancellation", once verified: the account is cancelled now and erased when the grace period
/// (<see cref="RetentionOptions.CancelledAccountGraceDays"/>) has passed, by the daily retention job
/// (<see cref="CancelledAccountsDue"/>). Every session ends, so the only way back into the account is signing in, and
/// signing in withdraws the cancellation (<see cref="WithdrawCancellation"/>): while cancelled, the account does
/// nothing else (ADR 0026). The request is answered at once — the cancellation is done — and its answer, mailed, gives
/// the date of the erasure and what it will erase and keep. Small enough to do in the requester's HTTP request.
/// </summary>
internal sealed class CancelAccount(
    HelioDbContext db, StartRequest start, CompleteRequest complete, Sessions sessions, TimeProvider clock, IOptions<RetentionOptions> retention)
    : IRequestFulfilment
{
    public RequestKind Kind => RequestKind.Cancellation;

    public async Task StartAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cancelled = await db.Set<AccountCancellation>().AsNoTracking().SingleOrDefaultAsync(c => c.UserId == request.UserId, cancellationToken);
        if (cancelled is null)
        {
            cancelled = new AccountCancellation { UserId = request.UserId, RequestId = request.Id, CancelledAt = clock.GetUtcNow() };
            db.Set<AccountCancellation>().Add(cancelled);
            await db.SaveChangesAsync(cancellationToken);
        }
        await sessions.EndAllAsync(request.UserId, cancellationToken);
        var erasedOn = ErasedOn(cancelled.CancelledAt);
        var outcome = $"""
            Your account is cancelled{(cancelled.RequestId == request.Id ? "" : " already")}, since {cancelled.CancelledAt.ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture)}, and you are signed out everywhere.
            It will be erased on {erasedOn}, after a grace period of {retention.Value.CancelledAccountGraceDays} days.
            Changed your mind? Sign in before then, on the web or in the app: signing in withdraws the cancellation.

            {ErasureStatement.Text()}
            """;
        if ((await start.HandleAsync(null, request.Id, cancellationToken)).IsSuccess
            && (await complete.HandleAsync(null, request.Id, new CompleteRequestBody(outcome), cancellationToken)).IsSuccess)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>The first day the retention job may erase it: the grace period after the cancellation, then the next daily run.</summary>
    public string ErasedOn(DateTimeOffset cancelledAt) =>
        cancelledAt.AddDays(retention.Value.CancelledAccountGraceDays).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
