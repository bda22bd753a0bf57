using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Access;

/// <summary>
/// A plant owner's contact details: masked for an engineer during a live grant (each look audited as
/// <c>contact.viewed-masked</c>, so it shows on the owner's "who accessed my data"), in clear for the owner. The clear
/// values are decrypted only to be masked here and never leave this class otherwise.
/// </summary>
internal sealed class GetOwnerContact(HelioDbContext db, AccessRequestQueries queries, PersonalDataProtector protector, AuditTrail audit)
{
    public async Task<Outcome<OwnerContactDto>> HandleAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        if (await queries.ContactStandingAsync(userId, plantId, cancellationToken) is not { } standing)
        {
            return Refusal.NotFound;
        }
        var contact = await ReadAsync(db, protector, standing.OwnerId, cancellationToken);
        if (standing.GrantId is not { } grant)
        {
            return contact with { Masked = false };
        }
        await audit.RecordAsync(new AuditRecord(AuditActions.ContactViewedMasked, AuditActor.User(userId), PlantId: plantId, Target: grant.ToString()), cancellationToken);
        return new OwnerContactDto(Masking.Name(contact.Name), Masking.Email(contact.Email), Masking.Phone(contact.Phone), Masked: true);
    }

    /// <summary>The owner's details in clear, for this feature's use cases only.</summary>
    internal static async Task<OwnerContactDto> ReadAsync(HelioDbContext db, PersonalDataProtector protector, Guid ownerId, CancellationToken cancellationToken)
    {
        var owner = await db.Users.Where(u => u.Id == ownerId).Select(u => new { u.NameCipher, u.EmailCipher, u.PhoneCipher }).SingleAsync(cancellationToken);
        return new OwnerContactDto(
            await protector.DecryptAsync(ownerId, RegisterAccount.NameField, owner.NameCipher, cancellationToken),
            await protector.DecryptAsync(ownerId, UserStore.EmailField, owner.EmailCipher, cancellationToken),
            await protector.DecryptOrNullAsync(ownerId, RegisterAccount.PhoneField, owner.PhoneCipher, cancellationToken),
            Masked: false);
    }
}
