using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Alarms;

/// <summary>A device leaves its plant with what it measured: its alarms go too, with their history, notifications and
/// review requests (the database cascades). Otherwise an alarm nobody can clear any more would stay open forever.</summary>
internal static class AlarmErasure
{
    public static Task<int> EraseDeviceAsync(HelioDbContext db, Guid plantId, string serial, CancellationToken cancellationToken) =>
        db.Alarms.Where(a => a.PlantId == plantId && a.DeviceSerial == serial).ExecuteDeleteAsync(cancellationToken);
}
