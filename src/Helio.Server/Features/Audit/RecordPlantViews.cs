using System.Collections.Concurrent;
using System.Security.Claims;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Audit;

/// <summary>
/// Records <see cref="AuditActions.PlantViewed"/> when anyone but its owner reaches a plant's data, through the API
/// or a page. One middleware after authorisation covers every route, present and future, by a naming rule: a route
/// parameter right after a <c>plants</c>, <c>devices</c> or <c>alarms</c> segment names a plant, a device (by
/// serial) or an alarm (<c>/api/v1/plants/{plantId}/alarms</c>, <c>/devices/{Serial}</c>, <c>/alarms/{AlarmId}</c>).
/// The owner's own requests cost one indexed lookup of the plant's owner. Others' reads are coalesced: at most one
/// entry per (actor, plant) per <see cref="Window"/> and node (<see cref="RecentPlantViews"/>), recorded only when
/// <see cref="PlantAccess"/> lets the caller see the plant (a stranger's 404 is no view).
/// </summary>
internal sealed class RecordPlantViews(HelioDbContext db, PlantAccess access, AuditTrail trail, RecentPlantViews recent, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private static readonly CompiledQuery<Func<HelioDbContext, Guid, Task<PlantOwner?>>> PlantOwnerQuery = new(() =>
        EF.CompileAsyncQuery((HelioDbContext db, Guid plantId) =>
            db.Plants.Where(p => p.Id == plantId).Select(p => new PlantOwner(p.Id, p.OwnerId)).FirstOrDefault()));

    private static readonly CompiledQuery<Func<HelioDbContext, string, Task<PlantOwner?>>> DeviceOwnerQuery = new(() =>
        EF.CompileAsyncQuery((HelioDbContext db, string serial) =>
            db.Devices.Where(d => d.SerialNumber == serial)
                .Join(db.Plants, d => d.PlantId, p => p.Id, (d, p) => new PlantOwner(p.Id, p.OwnerId)).FirstOrDefault()));

    private static readonly CompiledQuery<Func<HelioDbContext, Guid, Task<PlantOwner?>>> AlarmOwnerQuery = new(() =>
        EF.CompileAsyncQuery((HelioDbContext db, Guid alarmId) =>
            db.Alarms.Where(a => a.Id == alarmId)
                .Join(db.Plants, a => a.PlantId, p => p.Id, (a, p) => new PlantOwner(p.Id, p.OwnerId)).FirstOrDefault()));

    /// <summary>Records a view of the plant behind <paramref name="key"/> by <paramref name="callerId"/> unless they own
    /// it, cannot see it, or were recorded viewing it within the window.</summary>
    public async Task RecordAsync(Guid callerId, PlantKey kind, string key, string via, CancellationToken cancellationToken)
    {
        var plant = kind switch
        {
            PlantKey.Plant => Guid.TryParse(key, out var plantId) ? await PlantOwnerQuery.For(db)(db, plantId) : null,
            PlantKey.Device => await DeviceOwnerQuery.For(db)(db, key),
            PlantKey.Alarm => Guid.TryParse(key, out var alarmId) ? await AlarmOwnerQuery.For(db)(db, alarmId) : null,
            _ => null,
        };
        if (plant is null || plant.OwnerId == callerId || !recent.TryClaim(callerId, plant.PlantId, clock.GetUtcNow()))
        {
            return;
        }
        try
        {
            if (!await access.Visible(callerId).AnyAsync(p => p.Id == plant.PlantId, cancellationToken))
            {
                recent.Release(callerId, plant.PlantId);
                return;
            }
            var actor = await db.ApiAccounts.AnyAsync(a => a.Id == callerId, cancellationToken)
                ? AuditActor.ApiAccount(callerId)
                : AuditActor.User(callerId);
            await trail.RecordAsync(new AuditRecord(AuditActions.PlantViewed, actor, plant.OwnerId, plant.PlantId, Detail: via == "api" ? """{"via":"api"}""" : """{"via":"web"}"""), cancellationToken);
        }
        catch
        {
            recent.Release(callerId, plant.PlantId);
            throw;
        }
    }

    private sealed record PlantOwner(Guid PlantId, Guid OwnerId);
}

internal enum PlantKey { Plant, Device, Alarm }

/// <summary>
/// The (actor, plant) pairs recorded within the window on this node. Bounded: past <see cref="MaxEntries"/> the
/// expired pairs go, and if that is not enough all of them, which costs at worst one more entry per pair. Another
/// node keeps its own, so a caller whose requests alternate between two nodes may be recorded once by each.
/// </summary>
internal sealed class RecentPlantViews
{
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(Guid Actor, Guid Plant), DateTimeOffset> until = new();

    /// <summary>True when the caller should record this view (and so the pair is now taken for the window).</summary>
    public bool TryClaim(Guid actor, Guid plant, DateTimeOffset now)
    {
        var key = (actor, plant);
        var next = now + RecordPlantViews.Window;
        if (until.TryGetValue(key, out var current))
        {
            return current <= now && until.TryUpdate(key, next, current);
        }
        if (until.Count >= MaxEntries)
        {
            foreach (var (pair, end) in until)
            {
                if (end <= now)
                {
                    until.TryRemove(pair, out _);
                }
            }
            if (until.Count >= MaxEntries)
            {
                until.Clear();
            }
        }
        return until.TryAdd(key, next);
    }

    /// <summary>Gives the pair back after a view that was not recorded.</summary>
    public void Release(Guid actor, Guid plant) => until.TryRemove((actor, plant), out _);
}

/// <summary>Runs <see cref="RecordPlantViews"/> for every authenticated request to a plant-scoped route.</summary>
internal sealed class PlantViewsMiddleware(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Endpoint, PlantRoute?> Routes = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is RouteEndpoint endpoint
            && Routes.GetOrAdd(endpoint, e => PlantRoute.Of(((RouteEndpoint)e).RoutePattern)) is { } route
            && context.User.Identity?.IsAuthenticated == true
            && Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var caller)
            && context.Request.RouteValues.TryGetValue(route.Parameter, out var value) && value?.ToString() is { Length: > 0 } key)
        {
            var via = context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? "api" : "web";
            await context.RequestServices.GetRequiredService<RecordPlantViews>().RecordAsync(caller, route.Kind, key, via, context.RequestAborted);
        }
        await next(context);
    }

    internal sealed record PlantRoute(PlantKey Kind, string Parameter)
    {
        public static PlantRoute? Of(RoutePattern pattern)
        {
            for (var i = 1; i < pattern.PathSegments.Count; i++)
            {
                if (pattern.PathSegments[i - 1].Parts is [RoutePatternLiteralPart literal]
                    && pattern.PathSegments[i].Parts is [RoutePatternParameterPart parameter])
                {
                    PlantKey? kind = literal.Content.ToUpperInvariant() switch
                    {
                        "PLANTS" => PlantKey.Plant,
                        "DEVICES" => PlantKey.Device,
                        "ALARMS" => PlantKey.Alarm,
                        _ => null,
                    };
                    if (kind is { } found)
                    {
                        return new PlantRoute(found, parameter.Name);
                    }
                }
            }
            return null;
        }
    }
}
