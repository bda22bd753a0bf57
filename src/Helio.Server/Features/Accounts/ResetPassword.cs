using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Features.Accounts;

public sealed record ResetPasswordRequest(Guid UserId, string? Token, string? NewPassword);

/// <summary>Sets a new password from a mailed token. The token is single-use (the stamp rotates) and every session ends.</summary>
internal sealed class ResetPassword(HelioDbContext db, UserManager<User> users, Sessions sessions, MailOutbox outbox, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(ResetPasswordRequest request, CancellationToken cancellationToken)
    {
        if (PasswordRules.Check(request.NewPassword) is { } problem)
        {
            return Refusal.Invalid("newPassword", problem);
        }
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || string.IsNullOrEmpty(request.Token) || request.Token.Length > 2048)
        {
            return Refusal.Invalid("token", ConfirmEmail.Invalid);
        }
        // ResetPasswordAsync verifies the token, sets the hash and rotates the security stamp.
        var result = await users.ResetPasswordAsync(user, request.Token, request.NewPassword!);
        if (!result.Succeeded)
        {
            return Refusal.Invalid("token", ConfirmEmail.Invalid);
        }
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        // A reset proves control of the mailbox, which is what confirmation asks.
        user.EmailConfirmed = true;
        await sessions.EndAllAsync(user.Id, cancellationToken);
        await outbox.QueueAsync(user.Id, (await users.GetEmailAsync(user))!, "password-changed", "Your Helio password was changed",
            $"The password of your Helio account was reset on {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC, and every session was signed out.\n\nIf this was not you, reset your password again at once and contact support.",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }
}
