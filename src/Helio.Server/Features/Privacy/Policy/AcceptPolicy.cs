using Helio.Server.Features.Privacy.Consent;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// The user accepts the current version: it becomes their accepted version, and a consent record (the "service"
/// purpose under that version, with how it was given) proves it. Only the version in force can be accepted, so that
/// nobody accepts a text they were not shown; accepting it again changes nothing.
/// </summary>
internal sealed class AcceptPolicy(HelioDbContext db, PolicyStandings standings, ConsentLedger ledger)
{
    public async Task<Outcome<MyPolicyDto>> HandleAsync(Guid userId, PolicyVersionRequest request, string method, CancellationToken cancellationToken)
    {
        var version = request.Version?.Trim();
        if (string.IsNullOrEmpty(version))
        {
            return Refusal.Invalid("version", "Required: the version you accept.");
        }
        var standing = await standings.ForAsync(userId, cancellationToken);
        if (standing.Current is not { } current || current.Version != version)
        {
            return Refusal.Invalid("version", $"Only the version in force can be accepted: {standing.Current?.Version ?? "none"}.");
        }
        if (standing.Accepted != version)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
            user.AcceptedPolicyVersion = version;
            await ledger.AppendAsync(userId, ConsentPurposes.Service, given: true, version, method, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return await standings.MineAsync(userId, cancellationToken);
    }
}
