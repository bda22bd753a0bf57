using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// An owner opens an API account: an OpenIddict confidential client that may use only the token endpoint with the
/// client-credentials grant. The secret is in this answer and nowhere else; OpenIddict keeps its hash.
/// </summary>
internal sealed class OpenApiAccount(HelioDbContext db, ApiAccountQueries queries, IOpenIddictApplicationManager applications, AuditTrail audit, TimeProvider time)
{
    public const int MaxNameLength = 100;

    /// <summary>Open accounts per person: enough for every integration, a bound for a stolen session.</summary>
    public const int MaxOpenPerOwner = 20;

    public async Task<Outcome<ApiAccountSecretDto>> HandleAsync(Guid userId, OpenApiAccountRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation().Require("name", request.Name, MaxNameLength);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await queries.Owned(userId).CountAsync(a => a.ClosedAt == null, cancellationToken) >= MaxOpenPerOwner)
        {
            return Refusal.Conflict($"A person may have at most {MaxOpenPerOwner} open API accounts; close one first.");
        }
        var account = new ApiAccount
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = request.Name!.Trim(),
            OwnerUserId = userId,
            ClientId = ApiAccountSecrets.NewClientId(),
            CreatedAt = time.GetUtcNow(),
        };
        var secret = ApiAccountSecrets.NewSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await applications.CreateAsync(Client(account.ClientId, secret), cancellationToken);
        db.ApiAccounts.Add(account);
        await audit.RecordAsync(new AuditRecord(AuditActions.ApiAccountOpened, AuditActor.User(userId), SubjectUserId: userId, Target: account.Id.ToString()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApiAccountSecretDto(account.Id, account.ClientId, secret);
    }

    /// <summary>The client as OpenIddict knows it: confidential, token endpoint only, client credentials only, no scopes.</summary>
    internal static OpenIddictApplicationDescriptor Client(string clientId, string secret) => new()
    {
        ClientId = clientId,
        ClientSecret = secret,
        ClientType = ClientTypes.Confidential,
        Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
    };
}
