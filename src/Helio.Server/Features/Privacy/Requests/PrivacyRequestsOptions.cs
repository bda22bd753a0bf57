using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The data-subject requests' settings, under "Privacy" (the section is shared with the rest of the privacy centre;
/// these are the requests' keys). Every limit is here or a constant of its use case.
/// </summary>
public sealed class PrivacyRequestsOptions
{
    public const string Section = "Privacy";

    /// <summary>More requests of one kind from one person in 12 months than this flags the next as possibly excessive
    /// (Art. 12(5)): the privacy officer may then charge a fee or refuse, with reasons.</summary>
    [Range(1, 100)]
    public int ExcessiveRequestsPer12Months { get; set; } = 3;

    /// <summary>A request whose identity check is not done by then expires and is never actionable.</summary>
    public TimeSpan UnverifiedRequestLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Privacy officers are mailed this many days before a request is due (once per due date).</summary>
    [Range(1, 30)]
    public int ReminderDaysBefore { get; set; } = 7;

    /// <summary>How often the reminder and expiry job runs: daily; several nodes run it one at a time.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromDays(1);

    public PrivacyContactOptions Contact { get; set; } = new();
}

/// <summary>
/// Privacy:Contact: who answers for privacy, shown on /privacy/contact and in every refusal's complaint route. The
/// defaults say plainly that the operator has not set them.
/// </summary>
public sealed class PrivacyContactOptions
{
    [MaxLength(200)]
    public string Name { get; set; } = "The operator of this Helio installation";

    [MaxLength(254)]
    public string? Email { get; set; }

    [MaxLength(500)]
    public string? PostalAddress { get; set; }

    /// <summary>The supervisory authority the requester may complain to (GDPR Art. 77), by name.</summary>
    [MaxLength(300)]
    public string SupervisoryAuthority { get; set; } = "the data protection supervisory authority of your country of residence, work or the alleged infringement";

    [MaxLength(500)]
    public string? SupervisoryAuthorityUrl { get; set; }

    /// <summary>What a refusal tells the requester when the privacy officer adds nothing of their own (Art. 12(4)).</summary>
    public string ComplaintRoute()
    {
        var authority = SupervisoryAuthorityUrl is { Length: > 0 } url ? $"{SupervisoryAuthority} ({url})" : SupervisoryAuthority;
        var contact = Email is { Length: > 0 } email ? $"{Name}, {email}" : Name;
        return $"You may complain to {contact}, lodge a complaint with {authority}, and seek a judicial remedy.";
    }
}
