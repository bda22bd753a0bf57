using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// Closes an API account for good: its OpenIddict client goes, and with it every token entry, so the next request
/// with one of its tokens is refused (validation checks the entry on every request) and no new token can be had.
/// The account row stays, closed, so the owner keeps its history; its plants stop being readable by it at once.
/// </summary>
internal sealed class CloseApiAccount(HelioDbContext db, ApiAccountQueries queries, IOpenIddictApplicationManager applications, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await queries.Owned(userId).SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return Refusal.NotFound;
        }
        if (account.ClosedAt is not null)
        {
            return new Done();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await applications.FindByClientIdAsync(account.ClientId, cancellationToken) is { } client)
        {
            await applications.DeleteAsync(client, cancellationToken);
        }
        account.ClosedAt = time.GetUtcNow();
        await audit.RecordAsync(new AuditRecord(AuditActions.ApiAccountClosed, AuditActor.User(userId), SubjectUserId: userId, Target: account.Id.ToString()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }
}
