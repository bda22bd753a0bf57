namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// What an erasure removes and what it keeps, each kept item with its reason (GDPR Art. 17(3), 5(2)). It is mailed to
/// the person and stored in the request's history as plain facts, not as an encrypted note: a note is encrypted under
/// the person's key, which the erasure shreds, and the statement holds nothing personal. Keep it in step with
/// <see cref="Lifecycle.AccountErasure"/> and docs/privacy/retention.md.
/// </summary>
internal static class ErasureStatement
{
    public const string Erased =
        "your account, profile, sign-in data and sessions; consents; notification settings, webhooks and push subscriptions; "
        + "your plants with their devices (serials released), readings, alarms and shares; your API accounts; invitations; queued mail; "
        + "your data key, so that every encrypted copy, in backups too, is unreadable";

    public static readonly IReadOnlyList<(string Item, string Why)> Kept =
    [
        ("this request's record and history, without your words", "proof that the request was answered (GDPR Art. 5(2), 17(3)(e)), for 3 years"),
        ("the audit trail, under a pseudonym that no longer leads to you", "security and accountability (Art. 5(2), 32), until its retention ends"),
        ("organisations you founded, without you", "they belong to their members"),
    ];

    /// <summary>The statement as the history's facts (with any others the caller adds), short enough for its column.</summary>
    public static Dictionary<string, string> Facts() => new(StringComparer.Ordinal)
    {
        ["erased"] = Erased,
        ["kept"] = string.Join("; ", Kept.Select(k => $"{k.Item} ({k.Why})")),
    };

    /// <summary>The statement for a mail.</summary>
    public static string Text() =>
        $"""
        Erased: {Erased}.

        Kept, and why:
        {string.Join("\n", Kept.Select(k => $"- {k.Item}: {k.Why}."))}
        """;
}
