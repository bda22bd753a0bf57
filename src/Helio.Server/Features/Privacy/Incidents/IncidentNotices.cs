using System.Globalization;
using System.Text;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>The 72-hour clock of GDPR Art. 33(1): the supervisory authority is told within 72 hours of discovery, or
/// later with the reasons for the delay.</summary>
public static class AuthorityClock
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(72);

    public static DateTimeOffset Deadline(SecurityIncident incident) => incident.DiscoveredAt + Window;

    /// <summary>Not told and past the deadline, or told after it.</summary>
    public static bool Overdue(SecurityIncident incident, DateTimeOffset now) =>
        (incident.AuthorityNotifiedAt ?? now) > Deadline(incident);

    /// <summary>Hours until the deadline while the authority has not been told (negative: overdue); null once told.</summary>
    public static double? HoursLeft(SecurityIncident incident, DateTimeOffset now) =>
        incident.AuthorityNotifiedAt is null ? Math.Round((Deadline(incident) - now).TotalHours, 1) : null;
}

/// <summary>
/// The texts of an incident's notices, built from what the privacy officer recorded. One function per audience:
/// the supervisory authority (Art. 33(3) (a)–(d), plus the delay reasons of Art. 33(1)), and the people affected
/// (Art. 34(2): what happened, what it may mean for them, what was done, what they can do, whom to contact), the same
/// words by mail, in the app and on the public page.
/// </summary>
public static class IncidentNotices
{
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The sections of the notice to people, in order: heading and text.</summary>
    public static IReadOnlyList<(string Heading, string Text)> ForPeople(SecurityIncident incident) =>
    [
        ("What happened", $"{incident.Description}\n(Discovered {Utc(incident.DiscoveredAt)}.)"),
        ("Which data may be concerned", Capitalise(DataCategories.Describe(incident.DataCategories)) + "."),
        ("What this may mean for you", incident.LikelyConsequences),
        ("What we have done", incident.MeasuresTaken),
        ("What you can do", incident.Advice),
        ("Whom to contact", incident.Contact),
    ];

    public static string MailText(SecurityIncident incident)
    {
        var text = new StringBuilder("We are writing to tell you about a security incident at Helio that may concern your personal data.\n");
        foreach (var (heading, body) in ForPeople(incident))
        {
            text.Append('\n').Append(heading).Append('\n').Append(body).Append('\n');
        }
        return text.Append("\nYou will also find this notice in Helio the next time you sign in.").ToString();
    }

    /// <summary>The draft for the supervisory authority; <paramref name="affected"/> is the number of accounts the query finds now.</summary>
    public static string ForAuthority(SecurityIncident incident, int affected, DateTimeOffset now)
    {
        var deadline = AuthorityClock.Deadline(incident);
        var status = incident.AuthorityNotifiedAt is { } told
            ? $"notified {Utc(told)}{(told > deadline ? " (after the deadline)" : "")}"
            : AuthorityClock.Overdue(incident, now) ? "OVERDUE: not yet notified" : $"not yet notified; {AuthorityClock.HoursLeft(incident, now)!.Value.ToString("0.0", CultureInfo.InvariantCulture)} hours left";
        var records = incident.ApproximateRecords is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "not yet known (to be provided in a further phase, Art. 33(4))";
        var people = incident.UsersNotifiedAt is { } notified
            ? $"{incident.UsersNotified.ToString(CultureInfo.InvariantCulture)} people notified individually by e-mail and in the app since {Utc(notified)}"
            : "not yet notified";
        var text = new StringBuilder()
            .Append("Notification of a personal data breach (GDPR Art. 33)\n\n")
            .Append("Incident: ").Append(incident.Title).Append('\n')
            .Append("Discovered: ").Append(Utc(incident.DiscoveredAt)).Append('\n')
            .Append("Deadline (72 hours after discovery): ").Append(Utc(deadline)).Append(" — ").Append(status).Append("\n\n")
            .Append("(a) Nature of the breach\n").Append(incident.Description).Append('\n')
            .Append("Categories of personal data concerned: ").Append(DataCategories.Describe(incident.DataCategories)).Append('\n')
            .Append("Approximate number of data subjects concerned: ").Append(affected.ToString("N0", CultureInfo.InvariantCulture)).Append('\n')
            .Append("Approximate number of personal data records concerned: ").Append(records).Append("\n\n")
            .Append("(b) Contact point for more information\n").Append(incident.Contact).Append("\n\n")
            .Append("(c) Likely consequences\n").Append(incident.LikelyConsequences).Append("\n\n")
            .Append("(d) Measures taken or proposed, including to mitigate possible adverse effects\n").Append(incident.MeasuresTaken).Append("\n\n")
            .Append("Communication to the data subjects (Art. 34): ").Append(people).Append('\n');
        if (AuthorityClock.Overdue(incident, now))
        {
            text.Append("\nReasons for the delay (Art. 33(1)): ").Append(incident.DelayReason ?? "[to be stated: the notification is later than 72 hours]").Append('\n');
        }
        return text.ToString();
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
