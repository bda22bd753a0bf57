namespace Helio.Server.Features.Privacy.Consent;

/// <summary>A reason Helio may process someone's data, and whether the service cannot run without it.</summary>
public sealed record ConsentPurpose(string Name, string Title, string Description, bool Required);

/// <summary>
/// The purposes users decide on (ADR 0022). "service" is given at registration with the accepted policy and again with
/// every material change; it cannot be withdrawn on its own (cancelling the account is how to stop it). The optional
/// ones start withdrawn — no pre-ticked boxes — and each gates real processing: <see cref="Analytics"/> the page-view
/// counter (Usage), <see cref="Marketing"/> announcements (Announcements), <see cref="InstallerSharing"/> sharing plants
/// with installer organisations (Sharing).
/// </summary>
public static class ConsentPurposes
{
    public const string Service = "service";
    public const string Analytics = "analytics";
    public const string Marketing = "marketing";
    public const string InstallerSharing = "installer-sharing";

    public static readonly IReadOnlyList<ConsentPurpose> All =
    [
        new(Service, "Running the service",
            "Your account, plants, devices, readings and alarms, processed as the privacy policy describes so that Helio can monitor your plants.", Required: true),
        new(Analytics, "Product improvement",
            "Counting which pages are viewed, per page and day, without your identity, so that we learn what to improve.", Required: false),
        new(Marketing, "News by e-mail",
            "Occasional e-mails about new Helio features and products.", Required: false),
        new(InstallerSharing, "Sharing with installers",
            "Sharing your plants' data with installer organisations you choose, so that their staff can watch and service them.", Required: false),
    ];

    public static ConsentPurpose? Find(string? name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
