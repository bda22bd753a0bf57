using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>
/// Settings under "Privacy": the data region this deployment serves (<c>Privacy:Region</c>, e.g. EU, CN, GLOBAL) and,
/// per destination region, the legal basis on record for transferring personal data there
/// (<c>Privacy:Transfers:US:Basis = adequacy</c>, <c>…:Reference = "EU–US Data Privacy Framework, decision 2023/1795"</c>).
/// Checked at start: a deployment without a region, or with a basis Helio does not know, does not start.
/// </summary>
public sealed class RegionOptions
{
    public const string Section = "Privacy";

    /// <summary>GLOBAL when undeclared: no regional regime assumed, and every other region is a transfer.</summary>
    public string? Region { get; set; } = "GLOBAL";

    public Dictionary<string, TransferBasisOptions> Transfers { get; set; } = new(StringComparer.Ordinal);
}

public sealed class TransferBasisOptions
{
    /// <summary><c>adequacy</c>, <c>consent</c> or <c>standard-contract</c>.</summary>
    public string? Basis { get; set; }

    /// <summary>Where the basis is written down: the adequacy decision, the signed contract, the consent wording.</summary>
    public string? Reference { get; set; }
}

/// <summary>The legal mechanisms for a transfer out of a region (GDPR Art. 45, 46(2)(c), 49(1)(a); PIPL Art. 38/39).</summary>
public enum TransferBasis
{
    /// <summary>The destination is recognised as protecting data adequately (GDPR Art. 45).</summary>
    Adequacy,
    /// <summary>Standard contractual clauses, or China's standard contract (GDPR Art. 46(2)(c); PIPL Art. 38(1)(3)).</summary>
    StandardContract,
    /// <summary>The person's explicit consent to this transfer (GDPR Art. 49(1)(a); PIPL Art. 39).</summary>
    Consent,
}

public static partial class DataRegions
{
    public const int MaxReference = 300;

    /// <summary>2–16 capital letters, digits or hyphens: EU, CN, US, GLOBAL, EU-WEST.</summary>
    public static bool IsRegionCode(string? code) => code is not null && RegionCode().IsMatch(code);

    public static string Name(TransferBasis basis) => basis switch
    {
        TransferBasis.Adequacy => "adequacy",
        TransferBasis.StandardContract => "standard-contract",
        _ => "consent",
    };

    public static TransferBasis? Parse(string? basis) => basis?.Trim().ToLowerInvariant() switch
    {
        "adequacy" => TransferBasis.Adequacy,
        "standard-contract" => TransferBasis.StandardContract,
        "consent" => TransferBasis.Consent,
        _ => null,
    };

    [GeneratedRegex("^[A-Z][A-Z0-9-]{1,15}$")]
    private static partial Regex RegionCode();
}

internal sealed class RegionOptionsValidation : IValidateOptions<RegionOptions>
{
    public ValidateOptionsResult Validate(string? name, RegionOptions options)
    {
        var failures = new List<string>();
        if (!DataRegions.IsRegionCode(options.Region))
        {
            failures.Add("Privacy:Region must name this deployment's data region: 2–16 capital letters, digits or hyphens (e.g. EU, CN, GLOBAL).");
        }
        foreach (var (region, transfer) in options.Transfers)
        {
            if (!DataRegions.IsRegionCode(region))
            {
                failures.Add($"Privacy:Transfers:{region}: not a region code (2–16 capital letters, digits or hyphens).");
            }
            else if (region == options.Region)
            {
                failures.Add($"Privacy:Transfers:{region}: this deployment's own region needs no transfer basis.");
            }
            if (DataRegions.Parse(transfer.Basis) is null)
            {
                failures.Add($"Privacy:Transfers:{region}:Basis must be adequacy, standard-contract or consent.");
            }
            if (string.IsNullOrWhiteSpace(transfer.Reference) || transfer.Reference.Length > DataRegions.MaxReference)
            {
                failures.Add($"Privacy:Transfers:{region}:Reference must say where the basis is recorded (at most {DataRegions.MaxReference} characters).");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
