using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Helio.Server.Features.Telemetry;

/// <summary>The plant facts every series needs, if the user may see the plant.</summary>
internal sealed record SeriesPlant(Guid Id, string Name, TimeZoneInfo Zone, string TimeZone)
{
    public static async Task<SeriesPlant?> FindAsync(PlantAccess access, Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        var plant = await access.Visible(userId).Where(p => p.Id == plantId).Select(p => new { p.Id, p.Name, p.TimeZone }).SingleOrDefaultAsync(cancellationToken);
        return plant is null ? null : new SeriesPlant(plant.Id, plant.Name, Zones.Find(plant.TimeZone), plant.TimeZone);
    }

    public DateOnly Today(TimeProvider time) => LocalPeriods.LocalDate(time.GetUtcNow().ToUnixTimeMilliseconds(), Zone);
}

/// <summary>
/// Series of periods that have ended (yesterday's curve, last month's bars) are kept in memory for a while: they
/// change only if late data arrives for them, and then the change shows within <see cref="ClosedPeriodLifetime"/>.
/// Open periods (today, this month) are always read afresh. Per node; nothing to share between nodes.
/// </summary>
internal sealed class ClosedPeriodCache : IDisposable
{
    public static readonly TimeSpan ClosedPeriodLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Series kept at most; each is a few KB (a day's curve, a month's bars).</summary>
    public const int MaxEntries = 10_000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public void Dispose() => cache.Dispose();

    public async Task<T> GetAsync<T>(bool closed, object key, Func<Task<T>> compute)
    {
        if (!closed)
        {
            return await compute();
        }
        if (cache.TryGetValue(key, out T? hit) && hit is not null)
        {
            return hit;
        }
        var value = await compute();
        cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = ClosedPeriodLifetime, Size = 1 });
        return value;
    }
}
