using System.Globalization;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>
/// Registration of someone below their country's age of digital consent: the account is created, but held, with the
/// guardian's address (<see cref="RecordAsync"/>, in the registration's transaction). The guardian is mailed only once
/// the child has confirmed their own address (<see cref="MailGuardianAsync"/>, called by e-mail confirmation): were the
/// mail sent at registration, someone registering a stranger's address as a "child" with their own address as the
/// guardian's would learn whether that address already has an account, by whether the mail came. The link is
/// single-use and works until <see cref="RetentionOptions.GuardianConsentDays"/> after registering. The mail names the
/// child, so the guardian knows what they agree to; the link's page does not (a link can be forwarded).
/// </summary>
internal sealed class RequestGuardianConsent(HelioDbContext db, PersonalDataProtector protector, MailOutbox outbox, AccountLinks links,
    IOptions<RetentionOptions> retention, TimeProvider time)
{
    public async Task RecordAsync(Guid childId, string guardianEmail, int threshold, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        db.Add(new GuardianConsent
        {
            UserId = childId,
            GuardianEmailCipher = await protector.EncryptAsync(childId, GuardianConsents.EmailField, guardianEmail, cancellationToken),
            // No link exists yet: a random hash that no token matches.
            TokenHash = Organisations.Invitations.NewToken().Hash,
            Threshold = threshold,
            RequestedAt = now,
            ExpiresAt = now.AddDays(retention.Value.GuardianConsentDays),
        });
    }

    /// <summary>Mails the guardian of <paramref name="childId"/> if a consent is waiting and was not mailed yet; the caller saves.</summary>
    public async Task MailGuardianAsync(Guid childId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var consent = await db.Set<GuardianConsent>().SingleOrDefaultAsync(g => g.UserId == childId && g.ConfirmedAt == null && g.MailedAt == null && g.ExpiresAt > now, cancellationToken);
        if (consent is null)
        {
            return;
        }
        var (token, hash) = Organisations.Invitations.NewToken();
        consent.TokenHash = hash;
        consent.MailedAt = now;
        var nameCipher = await db.Users.Where(u => u.Id == childId).Select(u => u.NameCipher).SingleAsync(cancellationToken);
        var childName = await protector.DecryptAsync(childId, RegisterAccount.NameField, nameCipher, cancellationToken);
        var guardianEmail = await protector.DecryptAsync(childId, GuardianConsents.EmailField, consent.GuardianEmailCipher, cancellationToken);
        var link = $"{links.Base}/account/guardian-consent?token={Uri.EscapeDataString(token)}";
        var until = consent.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        // Sent under the child's key, with the child's account as its owner: erasing the child erases the mail too.
        await outbox.QueueAsync(childId, guardianEmail, "guardian-consent", "Please confirm your child's Helio account",
            $"{childName} has registered an account with Helio, a service for monitoring solar power plants, and gave this address as their parent's or guardian's.\n\n" +
            $"Where they live, people under {consent.Threshold} need a parent's or guardian's consent for such an account. If you agree, confirm it here (the link works once, until {until}):\n{link}\n\n" +
            "On the same page you can refuse instead: the account and everything in it is then deleted at once. " +
            "If you do nothing, the account is never usable and is deleted when the link expires.\n\n" +
            "If you do not know who this is, you can ignore this mail.",
            cancellationToken);
    }
}
