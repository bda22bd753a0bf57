using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Accounts;

public sealed record ChangeEmailRequest(string? CurrentPassword, string? NewEmail);

/// <summary>From the mailed link: the user, the new address sealed by the server (never plaintext in a URL), and the token.</summary>
public sealed record ConfirmEmailChangeRequest(Guid UserId, string? Address, string? Token);

/// <summary>
/// Changing the e-mail needs the current password and takes effect only when the new address confirms
/// through its link; the old address is told either way. An address taken by another account gets the
/// same answer (no enumeration) and simply never confirms.
/// </summary>
internal sealed class ChangeEmail(HelioDbContext db, UserManager<User> users, CheckCredentials credentials, MailOutbox outbox, AccountLinks links, IDataProtectionProvider dataProtection)
{
    private ITimeLimitedDataProtector AddressSeal => dataProtection.CreateProtector("Helio.Accounts.ChangeEmail.Address").ToTimeLimitedDataProtector();

    public async Task<Outcome<Done>> RequestAsync(Guid userId, ChangeEmailRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var email = request.NewEmail?.Trim() ?? "";
        RegisterAccount.ValidateEmail(validation, "newEmail", email);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var user = await users.FindByIdAsync(userId.ToString());
        if (!await credentials.PasswordAsync(user, request.CurrentPassword, cancellationToken))
        {
            return CheckCredentials.WrongCurrentPassword;
        }
        var oldEmail = (await users.GetEmailAsync(user!))!;
        var token = await users.GenerateChangeEmailTokenAsync(user!, email);
        await outbox.QueueAsync(userId, email, "confirm-email-change", "Confirm your new Helio e-mail address",
            $"Open this link to make this address the one your Helio account uses:\n{links.ConfirmEmailChange(userId, AddressSeal.Protect(email, TimeSpan.FromDays(2)), token)}\n\nIf you did not ask for this, ignore this mail.",
            cancellationToken);
        await outbox.QueueAsync(userId, oldEmail, "email-change-requested", "A change of your Helio e-mail address was requested",
            "Someone signed in to your Helio account with its password asked to move the account to another e-mail address. It changes only when the new address confirms.\n\nIf this was not you, change your password at once.",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }

    public async Task<Outcome<Done>> ConfirmAsync(ConfirmEmailChangeRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || string.IsNullOrEmpty(request.Token) || request.Token.Length > 2048 || !TryUnseal(request.Address, out var email))
        {
            return Refusal.Invalid("token", ConfirmEmail.Invalid);
        }
        if (await users.FindByEmailAsync(email) is { } holder && holder.Id != user.Id)
        {
            return Refusal.Invalid("token", ConfirmEmail.Invalid);
        }
        var oldEmail = (await users.GetEmailAsync(user))!;
        // ChangeEmailAsync checks the token (bound to this address), sets and confirms the address and rotates the stamp.
        var result = await users.ChangeEmailAsync(user, email, request.Token);
        if (!result.Succeeded)
        {
            return Refusal.Invalid("token", ConfirmEmail.Invalid);
        }
        await outbox.QueueAsync(user.Id, oldEmail, "email-changed", "Your Helio e-mail address was changed",
            "Your Helio account now uses another e-mail address; mails will go there from now on.\n\nIf this was not you, contact support at once.",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }

    private bool TryUnseal(string? sealedAddress, out string email)
    {
        email = "";
        if (string.IsNullOrEmpty(sealedAddress) || sealedAddress.Length > 2048)
        {
            return false;
        }
        try
        {
            email = AddressSeal.Unprotect(sealedAddress);
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
