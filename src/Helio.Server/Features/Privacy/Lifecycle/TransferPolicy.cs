using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>What moves personal data out of the account's home region.</summary>
public enum TransferKind
{
    /// <summary>The user's export, downloaded somewhere in the destination region.</summary>
    Export,
    /// <summary>The export pushed to a third party the user names.</summary>
    Transfer,
}

/// <summary>
/// The answer for one transfer: allowed with the basis it rests on, or refused with the reason. A refusal is an
/// answer, not an error: the export or transfer request shows <see cref="Reason"/> to the user and stops.
/// </summary>
public sealed record TransferDecision(bool Allowed, string From, string To, TransferBasis? Basis, string? Reference, string? Reason)
{
    /// <summary>Within the home region: no transfer, no basis needed.</summary>
    public bool WithinRegion => From == To;
}

/// <summary>One configured basis, as the admin page and API show it.</summary>
public sealed record TransferBasisDto(string Region, string Basis, string Reference);

/// <summary>The admin view of data regions: this deployment's, the bases on record per destination, and where accounts live.</summary>
public sealed record RegionsDto(string DeploymentRegion, IReadOnlyList<TransferBasisDto> TransferBases, IReadOnlyList<RegionCountDto> AccountsByHomeRegion);

public sealed record RegionCountDto(string Region, int Accounts);

/// <summary>
/// Transfers of an account's personal data out of its home region need a legal basis on record for the destination
/// (<c>Privacy:Transfers</c>): an adequacy decision, a standard contract, or the person's explicit consent, which the
/// caller must have asked for this very transfer. Anything else is refused, with the reason. Every decision about a
/// real account is audited (allowed or refused, from, to, basis), which is the record that the transfer had a basis.
/// The export and transfer requests call <see cref="DecideAsync"/> before they produce anything.
/// </summary>
public sealed class TransferPolicy(IOptions<RegionOptions> options, HelioDbContext db, AuditTrail audit)
{
    /// <summary>This deployment's region: where accounts registered here live.</summary>
    public string DeploymentRegion => options.Value.Region!;

    public IReadOnlyList<TransferBasisDto> ConfiguredBases =>
        options.Value.Transfers.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new TransferBasisDto(t.Key, DataRegions.Name(DataRegions.Parse(t.Value.Basis)!.Value), t.Value.Reference!.Trim()))
            .ToList();

    /// <summary>For admins: the region, the bases, and how many accounts are at home where (none recorded: the deployment's).</summary>
    public async Task<RegionsDto> RegionsAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Users.GroupBy(u => u.HomeRegion).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byRegion = counts.GroupBy(c => c.Key ?? DeploymentRegion, StringComparer.Ordinal)
            .Select(g => new RegionCountDto(g.Key, g.Sum(c => c.Count))).OrderBy(r => r.Region, StringComparer.Ordinal).ToList();
        return new RegionsDto(DeploymentRegion, ConfiguredBases, byRegion);
    }

    /// <summary>The rule alone, for an account at home in <paramref name="homeRegion"/> (null: the deployment's region).</summary>
    public TransferDecision Check(string? homeRegion, string destination, bool userConsented)
    {
        var from = homeRegion ?? DeploymentRegion;
        if (destination == from)
        {
            return new TransferDecision(true, from, destination, null, null, null);
        }
        if (!options.Value.Transfers.TryGetValue(destination, out var recorded) || DataRegions.Parse(recorded.Basis) is not { } basis)
        {
            return new TransferDecision(false, from, destination, null, null,
                $"No legal basis is recorded for transferring personal data from {from} to {destination}, so Helio does not transfer it. " +
                "The operator can record one (an adequacy decision, a standard contract, or the account holder's explicit consent).");
        }
        if (basis == TransferBasis.Consent && !userConsented)
        {
            return new TransferDecision(false, from, destination, basis, recorded.Reference,
                $"Transfers from {from} to {destination} rest on the account holder's explicit consent, which was not given for this transfer.");
        }
        return new TransferDecision(true, from, destination, basis, recorded.Reference!.Trim(), null);
    }

    /// <summary>
    /// Decides a transfer of <paramref name="userId"/>'s data to <paramref name="destinationRegion"/> and records the
    /// decision in the audit trail, in the caller's transaction if there is one. <paramref name="userConsented"/> is true
    /// only when the user has just agreed to this transfer to this region.
    /// </summary>
    public async Task<Outcome<TransferDecision>> DecideAsync(Guid userId, TransferKind kind, string? destinationRegion, bool userConsented, CancellationToken cancellationToken)
    {
        var destination = destinationRegion?.Trim().ToUpperInvariant();
        if (!DataRegions.IsRegionCode(destination))
        {
            return Refusal.Invalid("destinationRegion", "A region code: 2–16 capital letters, digits or hyphens (e.g. EU, CN, US).");
        }
        var account = await db.Users.Where(u => u.Id == userId).Select(u => new { u.HomeRegion }).SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return Refusal.NotFound;
        }
        var decision = Check(account.HomeRegion, destination!, userConsented);
        if (!decision.WithinRegion)
        {
            await audit.RecordAsync(new AuditRecord(decision.Allowed ? AuditActions.TransferAllowed : AuditActions.TransferRefused, AuditActor.User(userId),
                SubjectUserId: userId, Target: destination,
                Detail: JsonSerializer.Serialize(new { kind = kind.ToString().ToLowerInvariant(), from = decision.From, to = decision.To, basis = decision.Basis is { } b ? DataRegions.Name(b) : null })),
                cancellationToken);
        }
        return decision;
    }
}
