using Helio.Server.Platform.Data;

namespace Helio.Server.Platform.Mail;

/// <summary>Queues a <see cref="Mailing"/> in the caller's unit of work: it starts going out once that commits.</summary>
public sealed class Mailings(HelioDbContext db, TimeProvider time, MailingSignal signal)
{
    /// <summary>Every user with a confirmed address: notices the service owes everyone (policy changes).</summary>
    public const string Everyone = "everyone";

    public Mailing Queue(string template, string audience, string subject, string text, Guid? createdBy)
    {
        var mailing = new Mailing
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Template = template,
            Audience = audience,
            Subject = subject,
            Text = text,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        db.Mailings.Add(mailing);
        signal.Pulse();
        return mailing;
    }
}

/// <summary>
/// Who a mailing goes to, by name: each a query of user ids, asked afresh for every batch, so that someone who leaves
/// an audience (withdraws their consent to marketing, say) while a mailing is under way gets none of what is left.
/// Features add theirs with <c>services.Configure&lt;MailingAudienceOptions&gt;</c>; <see cref="Mailings.Everyone"/> is built in.
/// </summary>
public sealed class MailingAudiences(Microsoft.Extensions.Options.IOptions<MailingAudienceOptions> options)
{
    public IQueryable<Guid> Users(HelioDbContext db, string name) =>
        name == Mailings.Everyone ? db.Users.Select(u => u.Id)
        : options.Value.Audiences.TryGetValue(name, out var users) ? users(db)
        : throw new InvalidOperationException($"No mailing audience '{name}' is registered.");
}

public sealed class MailingAudienceOptions
{
    public Dictionary<string, Func<HelioDbContext, IQueryable<Guid>>> Audiences { get; } = new(StringComparer.Ordinal);
}

/// <summary>Wakes the mailing worker on this node right after a mailing is queued.</summary>
public sealed class MailingSignal : Jobs.WakeSignal;
