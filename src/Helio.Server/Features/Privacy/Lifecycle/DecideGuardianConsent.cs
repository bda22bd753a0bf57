using System.Text.Json.Serialization;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Lifecycle;

[JsonConverter(typeof(JsonStringEnumConverter<GuardianDecision>))]
public enum GuardianDecision
{
    [JsonStringEnumMemberName("confirm")] Confirm,
    [JsonStringEnumMemberName("refuse")] Refuse,
}

public sealed record GuardianConsentRequest(string? Token, GuardianDecision? Decision);

/// <summary>What the guardian's link page shows before the decision: nothing that names the child.</summary>
public sealed record GuardianConsentView(DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, int Threshold);

/// <summary>
/// The parent's or guardian's answer through the mailed link. The token works once and until it expires; the same
/// answer covers a wrong, used and expired token, so the link's page tells nothing to someone guessing. Confirming
/// releases the account (the child is told by mail); refusing erases it at once. Both are audited, with nobody as the
/// actor: the guardian has no account and is known only by the address the child gave.
/// </summary>
internal sealed class DecideGuardianConsent(HelioDbContext db, AccountErasure erasure, PersonalDataProtector protector, MailOutbox outbox,
    AccountLinks links, AuditTrail audit, TimeProvider time)
{
    public const string Invalid = "This link is not valid: it was already used, has expired, or the account no longer exists.";

    /// <summary>For the link's page: whether the token is live, and when it runs out.</summary>
    public async Task<GuardianConsentView?> ViewAsync(string? token, CancellationToken cancellationToken) =>
        await LiveAsync(token, cancellationToken) is { } consent ? new GuardianConsentView(consent.RequestedAt, consent.ExpiresAt, consent.Threshold) : null;

    public async Task<Outcome<GuardianDecision>> HandleAsync(GuardianConsentRequest request, CancellationToken cancellationToken)
    {
        if (request.Decision is not { } decision)
        {
            return Refusal.Invalid("decision", "confirm or refuse.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var consent = await LiveAsync(request.Token, cancellationToken);
        if (consent is null)
        {
            return Refusal.Invalid("token", Invalid);
        }
        if (decision == GuardianDecision.Refuse)
        {
            await erasure.EraseAsync(consent.UserId, AuditActor.Anonymous, ErasureReasons.GuardianRefused, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return decision;
        }
        consent.ConfirmedAt = time.GetUtcNow();
        var child = await db.Users.AsNoTracking().Where(u => u.Id == consent.UserId).Select(u => new { u.EmailCipher, u.EmailConfirmed }).SingleAsync(cancellationToken);
        var to = await protector.DecryptAsync(consent.UserId, UserStore.EmailField, child.EmailCipher, cancellationToken);
        await outbox.QueueAsync(consent.UserId, to, "guardian-consent-given", "Your Helio account was confirmed",
            "Your parent or guardian has agreed to your Helio account." +
            (child.EmailConfirmed ? $" You can sign in now: {links.SignIn}" : " Confirm your own e-mail address with the link we sent you when you registered, then sign in."),
            cancellationToken);
        await audit.RecordAsync(new AuditRecord(AuditActions.GuardianConsentGiven, AuditActor.Anonymous, SubjectUserId: consent.UserId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return decision;
    }

    private async Task<GuardianConsent?> LiveAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > GuardianConsents.MaxTokenLength)
        {
            return null;
        }
        var hash = Organisations.Invitations.Hash(token);
        var now = time.GetUtcNow();
        return await db.Set<GuardianConsent>().SingleOrDefaultAsync(g => g.TokenHash == hash && g.ConfirmedAt == null && g.ExpiresAt > now, cancellationToken);
    }
}
