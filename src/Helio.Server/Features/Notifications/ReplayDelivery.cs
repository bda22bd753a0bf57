using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Sends a dead (or already delivered) delivery again: back to pending with a fresh set of attempts and the same id, so
/// a receiver that deduplicates on Helio-Delivery sees it is the same message.
/// </summary>
internal sealed class ReplayDelivery(HelioDbContext db, DeliverySignal signal, TimeProvider time)
{
    public async Task<Outcome<DeliveryDto>> HandleAsync(Guid userId, Guid deliveryId, CancellationToken cancellationToken)
    {
        if (await db.Deliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.UserId == userId, cancellationToken) is not { } delivery)
        {
            return Refusal.NotFound;
        }
        if (delivery.State == DeliveryState.Pending)
        {
            return Refusal.Conflict("This delivery is still pending: it will be tried again by itself.");
        }
        delivery.State = DeliveryState.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = time.GetUtcNow();
        delivery.DeliveredAt = null;
        delivery.LeaseOwner = null;
        delivery.LeaseUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
        return DeliveryDto.From(delivery);
    }
}
