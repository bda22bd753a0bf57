using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Accounts;

public sealed record ChangePhoneRequest(string? CurrentPassword, string? Phone);

/// <summary>Sets or removes (empty phone) the mobile number; needs the current password and tells the account's address.</summary>
internal sealed class ChangePhone(HelioDbContext db, UserManager<User> users, CheckCredentials credentials, PersonalDataProtector protector, BlindIndex blindIndex, MailOutbox outbox)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, ChangePhoneRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return Refusal.NotFound;
        }
        string? e164 = null;
        if (!string.IsNullOrWhiteSpace(request.Phone) && !PhoneNumbers.TryNormalise(request.Phone.Trim(), user.Country, out e164))
        {
            return Refusal.Invalid("phone", PhoneNumbers.InvalidNumber);
        }
        if (!await credentials.PasswordAsync(user, request.CurrentPassword, cancellationToken))
        {
            return CheckCredentials.WrongCurrentPassword;
        }
        var index = e164 is null ? null : blindIndex.Phone(e164);
        if (index is not null && await db.Users.AnyAsync(u => u.PhoneIndex == index && u.Id != userId, cancellationToken))
        {
            // The password was right, so saying so reveals nothing to someone who does not own this account.
            return Refusal.Invalid("phone", "This number is used by another account.");
        }
        user.PhoneIndex = index;
        user.PhoneCipher = e164 is null ? null : await protector.EncryptAsync(userId, RegisterAccount.PhoneField, e164, cancellationToken);
        await outbox.QueueAsync(userId, (await users.GetEmailAsync(user))!, "phone-changed", "Your Helio phone number was changed",
            e164 is null ? "The mobile phone number was removed from your Helio account." : "The mobile phone number of your Helio account was changed. You can sign in with it from now on.\n\nIf this was not you, change your password at once.",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }
}
