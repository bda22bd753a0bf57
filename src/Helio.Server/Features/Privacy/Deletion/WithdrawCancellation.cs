using System.Globalization;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// Signing in during the grace period withdraws a cancellation (the web form and the token endpoint both sign in
/// through <see cref="Accounts.CheckCredentials.SignInAsync"/>, which calls this). The cancellation's request gets a
/// "withdrawn" line (and its audit entry), and the person a mail saying so. One indexed look-up on every sign-in.
/// </summary>
internal sealed class WithdrawCancellation(HelioDbContext db, RequestHistory history, RequestMails mails, TimeProvider clock)
{
    /// <summary>True when a cancellation was withdrawn.</summary>
    public async Task<bool> OnSignInAsync(Guid userId, CancellationToken cancellationToken)
    {
        var cancelled = await db.Set<AccountCancellation>().AsNoTracking().SingleOrDefaultAsync(c => c.UserId == userId, cancellationToken);
        if (cancelled is null)
        {
            return false;
        }
        var now = clock.GetUtcNow();
        var request = await db.PrivacyRequests.AsNoTracking().SingleAsync(r => r.Id == cancelled.RequestId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two sign-ins at once withdraw it once.
        if (await db.Set<AccountCancellation>().Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }
        var when = now.ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
        await mails.ToUserAsync(userId, "privacy-cancellation-withdrawn", "Your account cancellation is withdrawn", $"""
            You signed in to Helio on {when}, during the grace period of your account cancellation (request {request.Id}).
            Signing in withdraws the cancellation: your account stays, and nothing will be erased.

            To cancel after all, apply again: {mails.Base}/account/security
            """, cancellationToken);
        await history.AppendAsync(request, RequestEventKind.Withdrawn, userId, now, AuditActions.CancellationWithdrawn,
            new EventNote($"You signed in on {when}, during the grace period: the cancellation is withdrawn and the account stays."),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
