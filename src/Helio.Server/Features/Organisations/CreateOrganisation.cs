using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>Any user may found an organisation; they become its first admin. Founding one gives access to no plant.</summary>
internal sealed class CreateOrganisation(HelioDbContext db, PersonalDataProtector protector, AuditTrail audit, OrganisationQueries queries, TimeProvider time)
{
    public const int MaxNameLength = 100;
    /// <summary>Enough for anyone who works for several installers; a bound on what one account can create.</summary>
    public const int MaxMemberships = 20;

    public async Task<Outcome<OrganisationDto>> HandleAsync(Guid userId, CreateOrganisationRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation().Require("name", request.Name, MaxNameLength, minLength: 2);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await db.OrganisationMembers.CountAsync(m => m.UserId == userId, cancellationToken) >= MaxMemberships)
        {
            return Refusal.Conflict($"You are a member of {MaxMemberships} organisations, the most one account may be.");
        }
        var now = time.GetUtcNow();
        var founder = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.EmailCipher).SingleAsync(cancellationToken);
        var email = await protector.DecryptAsync(userId, UserStore.EmailField, founder, cancellationToken);
        var organisation = new Organisation { Id = Guid.CreateVersion7(now), Name = request.Name!.Trim(), CreatedBy = userId, CreatedAt = now };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Organisations.Add(organisation);
        db.OrganisationMembers.Add(new OrganisationMember
        {
            OrganisationId = organisation.Id,
            UserId = userId,
            Role = OrganisationRole.Admin,
            JoinedAt = now,
            EmailCipher = await protector.EncryptAsync(userId, OrganisationQueries.MemberEmailField, email, cancellationToken),
        });
        await audit.RecordAsync(new AuditRecord(AuditActions.OrganisationCreated, AuditActor.User(userId), Target: organisation.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { organisationId = organisation.Id })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await queries.GetAsync(userId, organisation.Id, cancellationToken)).Value!;
    }
}
