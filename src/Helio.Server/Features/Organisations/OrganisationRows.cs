using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// Reads and locks shared by the organisation use cases. Changes that depend on an organisation's state (its members,
/// its admins, whether it is cancelled) lock its row first, inside their transaction: PostgreSQL then runs them one
/// after the other for that organisation (SQLite runs every write transaction one after the other anyway). Without the
/// lock, two admins demoting each other could leave no admin, and a share made while the organisation was being
/// cancelled could survive the cancellation.
/// </summary>
internal static class OrganisationRows
{
    /// <summary>Locks the organisation's row until the transaction ends; false when it is missing or cancelled.</summary>
    public static async Task<bool> LockActiveAsync(HelioDbContext db, Guid organisationId, CancellationToken cancellationToken) =>
        await db.Organisations.Where(o => o.Id == organisationId && o.CancelledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Name, o => o.Name), cancellationToken) == 1;

    public static Task<OrganisationMember?> MembershipAsync(HelioDbContext db, Guid userId, Guid organisationId, CancellationToken cancellationToken) =>
        db.OrganisationMembers.FirstOrDefaultAsync(m => m.UserId == userId && m.OrganisationId == organisationId, cancellationToken);

    /// <summary>Null for the organisation's admins; a 404 for non-members (as for a missing organisation), a 403 for other members.</summary>
    public static async Task<Refusal?> AdminRefusalAsync(HelioDbContext db, Guid userId, Guid organisationId, CancellationToken cancellationToken) =>
        await MembershipAsync(db, userId, organisationId, cancellationToken) switch
        {
            null => Refusal.NotFound,
            { Role: not OrganisationRole.Admin } => Refusal.Forbidden(AdminsOnly),
            _ => null,
        };

    /// <summary>
    /// For an admin's change: locks the organisation, then checks the caller is one of its admins (read under the lock,
    /// so as it stands until the commit). Null when the change may go ahead.
    /// </summary>
    public static async Task<Refusal?> LockForAdminAsync(HelioDbContext db, Guid userId, Guid organisationId, CancellationToken cancellationToken) =>
        await LockActiveAsync(db, organisationId, cancellationToken)
            ? await AdminRefusalAsync(db, userId, organisationId, cancellationToken)
            : Refusal.NotFound;

    public const string AdminsOnly = "Only the organisation's admins can do this.";
}
