using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Features.Accounts;

public sealed record ConfirmEmailRequest(Guid UserId, string? Token);

/// <summary>
/// Confirms the address from the mailed link. Identity's tokens live until the security stamp changes,
/// so the stamp is rotated on success: the same link never works twice. A child's guardian is mailed then.
/// </summary>
internal sealed class ConfirmEmail(UserManager<User> users, Privacy.Lifecycle.RequestGuardianConsent guardians, Platform.Data.HelioDbContext db)
{
    public const string Invalid = "This link is invalid or has already been used.";

    public async Task<Outcome<Done>> HandleAsync(ConfirmEmailRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || string.IsNullOrEmpty(request.Token) || request.Token.Length > 2048)
        {
            return Refusal.Invalid("token", Invalid);
        }
        var result = await users.ConfirmEmailAsync(user, request.Token);
        if (!result.Succeeded)
        {
            return Refusal.Invalid("token", Invalid);
        }
        await users.UpdateSecurityStampAsync(user);
        // A child's address is now proven theirs: only now is their guardian asked (RequestGuardianConsent says why).
        await guardians.MailGuardianAsync(user.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }
}
