using Helio.Server.Features.Privacy.Policy;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Privacy.Consent;

/// <summary>
/// Gives or withdraws consent per purpose, as easily one way as the other: one decision each, and only decisions that
/// change something are recorded (a record per decision, under the policy version in force). Withdrawing
/// "installer-sharing" while plants are shared with installer organisations ends those shares, but only once the caller
/// has seen them and confirmed (<paramref name="endShares"/>); until then the answer is a conflict, and nothing changes.
/// </summary>
internal sealed class ChangeConsents(HelioDbContext db, ConsentQueries queries, ConsentLedger ledger, PolicyQueries policies, InstallerShares installerShares)
{
    public const string SharesNeedConfirmation = "Withdrawing consent to sharing with installers ends your plants' shares with installer organisations. Confirm to end them.";

    public async Task<Outcome<IReadOnlyList<ConsentStateDto>>> HandleAsync(
        Guid userId, IReadOnlyDictionary<string, bool>? decisions, string method, bool endShares, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (decisions is null || decisions.Count == 0)
        {
            validation.Add("body", $"Name at least one purpose with true (give) or false (withdraw): {string.Join(", ", ConsentPurposes.All.Select(p => p.Name))}.");
        }
        foreach (var (name, given) in decisions ?? new Dictionary<string, bool>())
        {
            if (ConsentPurposes.Find(name) is not { } purpose)
            {
                validation.Add(name.Length > 64 ? "body" : name, $"Not a consent purpose; one of {string.Join(", ", ConsentPurposes.All.Select(p => p.Name))}.");
            }
            else if (purpose.Required && !given)
            {
                validation.Add(name, "The service cannot run without it: to stop it, cancel your account.");
            }
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var version = await policies.CurrentVersionAsync(cancellationToken) ?? throw new InvalidOperationException("No policy is in force.");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var latest = await queries.LatestAsync(userId, cancellationToken);
        var changes = decisions!.Where(d => (latest.TryGetValue(d.Key, out var record) && record.Given) != d.Value).ToList();
        if (decisions!.TryGetValue(ConsentPurposes.InstallerSharing, out var sharing) && !sharing
            && (await installerShares.ListAsync(userId, cancellationToken)).Count > 0)
        {
            if (!endShares)
            {
                return Refusal.Conflict(SharesNeedConfirmation);
            }
            await installerShares.EndAllAsync(userId, cancellationToken);
            // Shares made before consent records existed have no "given" to withdraw; the withdrawal is recorded anyway.
            if (!changes.Any(c => c.Key == ConsentPurposes.InstallerSharing))
            {
                changes.Add(new(ConsentPurposes.InstallerSharing, false));
            }
        }
        foreach (var (purpose, given) in changes.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            await ledger.AppendAsync(userId, purpose, given, version, method, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return Ok(await queries.CurrentAsync(userId, cancellationToken));
    }

    private static Outcome<IReadOnlyList<ConsentStateDto>> Ok(IReadOnlyList<ConsentStateDto> states) => new(OutcomeKind.Ok, states, null, null);
}
