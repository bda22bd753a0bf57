using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Plants;

/// <summary>Deletes a plant; its devices are unbound with it, so their serials can be registered again, and what they
/// measured is deleted. Only the owner may: a manager the plant is shared with looks after it, but does not own it.</summary>
internal sealed class DeletePlant(HelioDbContext db, PlantAccess access, Audit.AuditTrail audit)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        var plant = await access.Owned(userId).SingleOrDefaultAsync(p => p.Id == plantId, cancellationToken);
        if (plant is null)
        {
            return Refusal.NotFound;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var serials = await db.Devices.Where(d => d.PlantId == plantId).Select(d => d.SerialNumber).ToListAsync(cancellationToken);
        await Telemetry.TelemetryErasure.EraseAsync(db, serials, cancellationToken);
        db.Plants.Remove(plant);
        // Saved with the deletion, in its transaction; the owner is named explicitly as the plant row is going.
        await audit.RecordAsync(new Audit.AuditRecord(Audit.AuditActions.PlantDeleted, Audit.AuditActor.User(userId), plant.OwnerId, plantId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }
}
