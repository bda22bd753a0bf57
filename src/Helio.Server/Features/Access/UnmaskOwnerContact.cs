using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Access;

/// <summary>
/// An engineer with a live grant sees one of the owner's contact fields in clear, for a reason: a separate action per
/// field, recorded as <c>contact.unmasked</c> (the field in the entry's detail) and as a <see cref="ContactUnmasking"/>
/// that keeps the reason for the owner to read. The owner asking gets their own value and no record.
/// </summary>
internal sealed class UnmaskOwnerContact(HelioDbContext db, AccessRequestQueries queries, PersonalDataProtector protector, AuditTrail audit, TimeProvider clock)
{
    public const string ReasonField = "contact_unmaskings.reason";
    public const int MinReason = RequestAccess.MinReason, MaxReason = RequestAccess.MaxReason;

    public async Task<Outcome<UnmaskedContactDto>> HandleAsync(Guid userId, Guid plantId, UnmaskContactBody body, CancellationToken cancellationToken)
    {
        // Standing first: a stranger learns nothing, not even which fields exist, from the validation.
        if (await queries.ContactStandingAsync(userId, plantId, cancellationToken) is not { } standing)
        {
            return Refusal.NotFound;
        }
        var validation = new Validation();
        var field = body.Field switch
        {
            "name" => ContactField.Name,
            "email" => ContactField.Email,
            "phone" => ContactField.Phone,
            _ => (ContactField?)null,
        };
        if (field is null)
        {
            validation.Add("field", "Must be \"name\", \"email\" or \"phone\".");
        }
        validation.Require("reason", body.Reason?.Trim(), MaxReason, MinReason);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }

        var contact = await GetOwnerContact.ReadAsync(db, protector, standing.OwnerId, cancellationToken);
        var value = field switch
        {
            ContactField.Name => contact.Name,
            ContactField.Email => contact.Email,
            _ => contact.Phone,
        };
        if (standing.GrantId is not { } grant)
        {
            return new UnmaskedContactDto(field!.Value, value);
        }
        var now = clock.GetUtcNow();
        var unmasking = new ContactUnmasking
        {
            Id = Guid.CreateVersion7(now),
            AccessRequestId = grant,
            PlantId = plantId,
            UserId = userId,
            Field = field!.Value,
            ReasonCipher = await protector.EncryptAsync(userId, ReasonField, body.Reason!.Trim(), cancellationToken),
            At = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ContactUnmaskings.Add(unmasking);
        await audit.RecordAsync(new AuditRecord(AuditActions.ContactUnmasked, AuditActor.User(userId), PlantId: plantId, Target: grant.ToString(),
            Detail: JsonSerializer.Serialize(new { field = body.Field, unmasking = unmasking.Id })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UnmaskedContactDto(unmasking.Field, value);
    }
}
