using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>A webhook's delivery log, newest first, optionally only one state (the dead letters: state=dead).</summary>
internal sealed class ListDeliveries(HelioDbContext db, ManageWebhooks webhooks)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public async Task<Outcome<IReadOnlyList<DeliveryDto>>> HandleAsync(Guid userId, Guid webhookId, string? state, int? limit, CancellationToken cancellationToken)
    {
        if (await webhooks.FindAsync(userId, webhookId, cancellationToken) is null)
        {
            return Refusal.NotFound;
        }
        var validation = new Validation().Range("limit", limit ?? DefaultLimit, 1, MaxLimit);
        DeliveryState? only = state switch
        {
            null or "" => null,
            "pending" => DeliveryState.Pending,
            "delivered" => DeliveryState.Delivered,
            "dead" => DeliveryState.Dead,
            _ => null,
        };
        if (only is null && !string.IsNullOrEmpty(state))
        {
            validation.Add("state", "Must be pending, delivered or dead.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var query = db.Deliveries.AsNoTracking().Where(d => d.UserId == userId && d.TargetId == webhookId && d.Channel == NotificationChannel.Webhook);
        if (only is { } wanted)
        {
            query = query.Where(d => d.State == wanted);
        }
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(limit ?? DefaultLimit).ToListAsync(cancellationToken);
        return rows.Select(DeliveryDto.From).ToList();
    }
}
