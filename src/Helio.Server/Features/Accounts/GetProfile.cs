using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Accounts;

public sealed record ProfileDto(
    Guid Id, string Email, string? Phone, string Name, string Country, bool EmailConfirmed, bool TwoFactorEnabled,
    int RecoveryCodesLeft, string[] Roles, string AcceptedPolicyVersion, DateTimeOffset CreatedAt);

/// <summary>The signed-in user's own account, decrypted for them alone.</summary>
internal sealed class GetProfile(HelioDbContext db, PersonalDataProtector protector)
{
    public async Task<ProfileDto?> HandleAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }
        var roles = await db.UserRoles.Where(r => r.UserId == userId).Select(r => r.Role).OrderBy(r => r).ToArrayAsync(cancellationToken);
        return new ProfileDto(
            user.Id,
            await protector.DecryptAsync(userId, UserStore.EmailField, user.EmailCipher, cancellationToken),
            await protector.DecryptOrNullAsync(userId, RegisterAccount.PhoneField, user.PhoneCipher, cancellationToken),
            await protector.DecryptAsync(userId, RegisterAccount.NameField, user.NameCipher, cancellationToken),
            user.Country,
            user.EmailConfirmed,
            user.TwoFactorEnabled,
            RecoveryCodes.Remaining(user.RecoveryCodeHashes),
            roles,
            user.AcceptedPolicyVersion,
            user.CreatedAt);
    }
}
