using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// A new secret for an open account. The old one stops at once, and so do the tokens issued with it: a rotation is
/// what an owner does when a secret may have leaked, and a leaked secret may already have bought tokens.
/// </summary>
internal sealed class RotateApiAccountSecret(
    HelioDbContext db, ApiAccountQueries queries, IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<ApiAccountSecretDto>> HandleAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await queries.Owned(userId).SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return Refusal.NotFound;
        }
        if (account.ClosedAt is not null)
        {
            return Refusal.Conflict("This API account is closed.");
        }
        var secret = ApiAccountSecrets.NewSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await applications.FindByClientIdAsync(account.ClientId, cancellationToken) is { } client)
        {
            await applications.UpdateAsync(client, secret, cancellationToken);
            await tokens.RevokeByApplicationIdAsync((await applications.GetIdAsync(client, cancellationToken))!, cancellationToken);
        }
        else
        {
            await applications.CreateAsync(OpenApiAccount.Client(account.ClientId, secret), cancellationToken);
        }
        account.SecretRotatedAt = time.GetUtcNow();
        await audit.RecordAsync(new AuditRecord(AuditActions.ApiAccountSecretRotated, AuditActor.User(userId), SubjectUserId: userId, Target: account.Id.ToString()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApiAccountSecretDto(account.Id, account.ClientId, secret);
    }
}
