using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Accounts;

public sealed record UpdateProfileRequest(string? Name, string? Country);

/// <summary>Name and country need no password; e-mail, phone and password do (see their own use cases).</summary>
internal sealed class UpdateProfile(HelioDbContext db, PersonalDataProtector protector)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, UpdateProfileRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation().Require("name", request.Name, maxLength: 100);
        if (!PhoneNumbers.IsKnownCountry(request.Country))
        {
            validation.Add("country", PhoneNumbers.InvalidCountry);
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var user = await db.Users.FindAsync([userId], cancellationToken);
        if (user is null)
        {
            return Refusal.NotFound;
        }
        user.NameCipher = await protector.EncryptAsync(userId, RegisterAccount.NameField, request.Name!.Trim(), cancellationToken);
        user.Country = request.Country!.ToUpperInvariant();
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }
}
