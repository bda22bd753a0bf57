using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Alarms;

public sealed record PlantAlarmSettingsDto(int UnderperformancePercent, int OfflineAfterMinutes, bool Defaults);

public sealed record PlantAlarmSettingsRequest(int? UnderperformancePercent, int? OfflineAfterMinutes);

/// <summary>A plant's own alarm thresholds (underperformance share, offline minutes), or the defaults.</summary>
public sealed class PlantAlarmSettingsStore(HelioDbContext db, PlantAccess access, IOptions<AlarmsOptions> alarmOptions, IOptions<Gateway.GatewayOptions> gatewayOptions, TimeProvider time)
{
    public const int MaxOfflineMinutes = 7 * 24 * 60;

    public int DefaultOfflineMinutes => DefaultOffline(alarmOptions.Value, gatewayOptions.Value);

    public static int DefaultOffline(AlarmsOptions alarms, Gateway.GatewayOptions gateway) =>
        Math.Max(1, (int)Math.Ceiling(alarms.OfflineAfterPolls * gateway.PollInterval.TotalMinutes));

    public async Task<Outcome<PlantAlarmSettingsDto>> GetAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        if (!await access.Visible(userId).AnyAsync(p => p.Id == plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var row = await db.PlantAlarmSettings.AsNoTracking().FirstOrDefaultAsync(s => s.PlantId == plantId, cancellationToken);
        // A row of 0s is only the underperformance check's bookkeeping (PlantAlarmSettings.Inherit): still the defaults.
        return row is null || row is { UnderperformancePercent: PlantAlarmSettings.Inherit, OfflineAfterMinutes: PlantAlarmSettings.Inherit }
            ? new PlantAlarmSettingsDto(alarmOptions.Value.UnderperformancePercent, DefaultOfflineMinutes, Defaults: true)
            : new PlantAlarmSettingsDto(
                row.UnderperformancePercent == PlantAlarmSettings.Inherit ? alarmOptions.Value.UnderperformancePercent : row.UnderperformancePercent,
                row.OfflineAfterMinutes == PlantAlarmSettings.Inherit ? DefaultOfflineMinutes : row.OfflineAfterMinutes,
                Defaults: false);
    }

    public async Task<Outcome<PlantAlarmSettingsDto>> UpdateAsync(Guid userId, Guid plantId, PlantAlarmSettingsRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Range("underperformancePercent", request.UnderperformancePercent, 1, 100)
            .Range("offlineAfterMinutes", request.OfflineAfterMinutes, 1, MaxOfflineMinutes);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (!await access.Manageable(userId).AnyAsync(p => p.Id == plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var row = await db.PlantAlarmSettings.FirstOrDefaultAsync(s => s.PlantId == plantId, cancellationToken);
        if (row is null)
        {
            row = new PlantAlarmSettings { PlantId = plantId };
            db.PlantAlarmSettings.Add(row);
        }
        row.UnderperformancePercent = request.UnderperformancePercent!.Value;
        row.OfflineAfterMinutes = request.OfflineAfterMinutes!.Value;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new PlantAlarmSettingsDto(row.UnderperformancePercent, row.OfflineAfterMinutes, Defaults: false);
    }
}
