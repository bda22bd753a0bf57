using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Staff;

/// <summary>A user with platform roles, as an admin sees them: by id and masked e-mail, never the address in clear.</summary>
public sealed record RoleHolderDto(Guid UserId, string MaskedEmail, IReadOnlyList<string> Roles);

/// <summary>Everyone who holds a platform role. Staff are a handful of people, so there is no paging.</summary>
internal sealed class ListRoleHolders(HelioDbContext db, PersonalDataProtector protector)
{
    public async Task<IReadOnlyList<RoleHolderDto>> HandleAsync(CancellationToken cancellationToken) =>
        await HoldersAsync(db.UserRoles, cancellationToken);

    internal async Task<RoleHolderDto?> HolderAsync(Guid userId, CancellationToken cancellationToken) =>
        (await HoldersAsync(db.UserRoles.Where(r => r.UserId == userId), cancellationToken)).SingleOrDefault();

    private async Task<List<RoleHolderDto>> HoldersAsync(IQueryable<UserRole> roles, CancellationToken cancellationToken)
    {
        var rows = await (
            from r in roles
            join u in db.Users on r.UserId equals u.Id
            orderby r.UserId, r.Role
            select new { r.UserId, r.Role, u.EmailCipher }).AsNoTracking().ToListAsync(cancellationToken);
        var holders = new List<RoleHolderDto>();
        foreach (var user in rows.GroupBy(r => r.UserId))
        {
            var email = await protector.DecryptAsync(user.Key, UserStore.EmailField, user.First().EmailCipher, cancellationToken);
            holders.Add(new RoleHolderDto(user.Key, Masking.Email(email), [.. user.Select(r => r.Role)]));
        }
        return holders;
    }
}
