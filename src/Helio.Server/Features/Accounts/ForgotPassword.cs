using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Features.Accounts;

public sealed record ForgotPasswordRequest(string? Email);

/// <summary>
/// Mails a reset link if the address has an account, and answers the same either way. Each request rotates
/// the security stamp first, so only the newest link works (an older one is superseded).
/// </summary>
internal sealed class ForgotPassword(HelioDbContext db, UserManager<User> users, MailOutbox outbox, AccountLinks links)
{
    public async Task<Outcome<Done>> HandleAsync(ForgotPasswordRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var email = request.Email?.Trim() ?? "";
        RegisterAccount.ValidateEmail(validation, "email", email);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return new Done();
        }
        await users.UpdateSecurityStampAsync(user);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        await outbox.QueueAsync(user.Id, (await users.GetEmailAsync(user))!, "reset-password", "Reset your Helio password",
            $"Someone asked to reset the password of your Helio account.\n\nTo choose a new password, open this link within {AccountsModule.ResetTokenLifetime.TotalMinutes:0} minutes:\n{links.ResetPassword(user.Id, token)}\n\nIf it was not you, ignore this mail: your password stays as it is.",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }
}
