using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Lifecycle;

public sealed record MyGuardianConsentDto(string? GuardianEmail, int Threshold, DateTimeOffset RequestedAt, DateTimeOffset? MailedAt, DateTimeOffset ExpiresAt, DateTimeOffset? ConfirmedAt);

public sealed record MyBirthAndRegionDto(string? DateOfBirth, string? HomeRegion, MyGuardianConsentDto? GuardianConsent);

/// <summary>"My data": the date of birth given at registration (decrypted for the person), the data region their
/// account is at home in, and, for a child's account, whom consent was asked of and when it came.</summary>
internal sealed class BirthAndRegionSection(HelioDbContext db, PersonalDataProtector protector) : IMyDataSection
{
    public string Name => "birthAndRegion";

    public async Task<object> ReadAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DateOfBirthCipher, u.HomeRegion }).SingleAsync(cancellationToken);
        var guardian = await db.Set<GuardianConsent>().AsNoTracking().SingleOrDefaultAsync(g => g.UserId == userId, cancellationToken);
        return new MyBirthAndRegionDto(
            await protector.DecryptOrNullAsync(userId, RegisterAccount.DateOfBirthField, user.DateOfBirthCipher, cancellationToken),
            user.HomeRegion,
            guardian is null ? null : new MyGuardianConsentDto(
                await protector.DecryptAsync(userId, GuardianConsents.EmailField, guardian.GuardianEmailCipher, cancellationToken),
                guardian.Threshold, guardian.RequestedAt, guardian.MailedAt, guardian.ExpiresAt, guardian.ConfirmedAt));
    }
}
