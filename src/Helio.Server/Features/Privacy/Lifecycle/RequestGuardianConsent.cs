using System.Globalization;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Mail;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>
/// Registration of someone below their country's age of digital consent: the account is created, but held, and the
/// parent or guardian whose address was given gets a single-use link that works for
/// <see cref="RetentionOptions.GuardianConsentDays"/>. The mail names the child, so the guardian knows what they are
/// agreeing to; the link's page does not (a link can be forwarded). Runs in the registration's transaction.
/// </summary>
internal sealed class RequestGuardianConsent(HelioDbContext db, PersonalDataProtector protector, MailOutbox outbox, AccountLinks links,
    IOptions<RetentionOptions> retention, TimeProvider time)
{
    public async Task RequestAsync(Guid childId, string childName, string guardianEmail, int threshold, CancellationToken cancellationToken)
    {
        var (token, hash) = Organisations.Invitations.NewToken();
        var now = time.GetUtcNow();
        var expires = now.AddDays(retention.Value.GuardianConsentDays);
        db.Add(new GuardianConsent
        {
            UserId = childId,
            GuardianEmailCipher = await protector.EncryptAsync(childId, GuardianConsents.EmailField, guardianEmail, cancellationToken),
            TokenHash = hash,
            Threshold = threshold,
            RequestedAt = now,
            ExpiresAt = expires,
        });
        var link = $"{links.Base}/account/guardian-consent?token={Uri.EscapeDataString(token)}";
        var until = expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        // Sent under the child's key, with the child's account as its owner: erasing the child erases the mail too.
        await outbox.QueueAsync(childId, guardianEmail, "guardian-consent", "Please confirm your child's Helio account",
            $"{childName} has registered an account with Helio, a service for monitoring solar power plants, and gave this address as their parent's or guardian's.\n\n" +
            $"Where they live, people under {threshold} need a parent's or guardian's consent for such an account. If you agree, confirm it here (the link works once, until {until}):\n{link}\n\n" +
            "On the same page you can refuse instead: the account and everything in it is then deleted at once. " +
            "If you do nothing, the account is never usable and is deleted when the link expires.\n\n" +
            "If you do not know who this is, you can ignore this mail.",
            cancellationToken);
    }
}
