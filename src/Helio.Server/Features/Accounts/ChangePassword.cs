using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Features.Accounts;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Needs the current password; ends every other session and tells the account's address.</summary>
internal sealed class ChangePassword(HelioDbContext db, UserManager<User> users, CheckCredentials credentials, Sessions sessions, MailOutbox outbox, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid currentSession, ChangePasswordRequest request, CancellationToken cancellationToken)
    {
        if (PasswordRules.Check(request.NewPassword) is { } problem)
        {
            return Refusal.Invalid("newPassword", problem);
        }
        var user = await users.FindByIdAsync(userId.ToString());
        if (!await credentials.PasswordAsync(user, request.CurrentPassword, cancellationToken))
        {
            return CheckCredentials.WrongCurrentPassword;
        }
        user!.PasswordHash = users.PasswordHasher.HashPassword(user, request.NewPassword!);
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(userId, cancellationToken, except: currentSession);
        await outbox.QueueAsync(userId, (await users.GetEmailAsync(user))!, "password-changed", "Your Helio password was changed",
            $"The password of your Helio account was changed on {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC. Your other sessions were signed out.\n\nIf this was not you, reset your password at once and contact support.",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }
}
