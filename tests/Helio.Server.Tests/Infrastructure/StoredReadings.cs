using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>The raw readings store, seen from tests: what is stored for a serial, and storing readings as the gateway would.</summary>
internal static class StoredReadings
{
    /// <summary>Every stored reading of the device (all metrics, UTC), oldest first; empty when it has none.</summary>
    public static async Task<List<RawReadingDto>> OfAsync(HelioApp app, string serial, CancellationToken cancellationToken)
    {
        await using var scope = app.Scope();
        var raw = new RawReadings(scope.ServiceProvider.GetRequiredService<HelioDbContext>());
        return await raw.DeviceNumberAsync(serial, cancellationToken) is { } number
            ? await raw.ReadAsync(number, long.MinValue, long.MaxValue, Enum.GetValues<Metric>(), 100_000, TimeZoneInfo.Utc, cancellationToken)
            : [];
    }

    /// <summary>The logger the device was last heard through.</summary>
    public static async Task<string?> LoggerOfAsync(HelioApp app, string serial, CancellationToken cancellationToken)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().TelemetryDevices
            .Where(d => d.Serial == serial).Select(d => d.LoggerSerial).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Stores readings through the telemetry writer, as the gateway does; returns which were new.</summary>
    public static Task<bool[]> StoreAsync(HelioApp app, IReadOnlyList<TelemetryReading> readings, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<TelemetryWriter>().StoreAsync(readings, cancellationToken);

    public static TelemetryReading Reading(string inverterSerial, string? loggerSerial, DateTimeOffset at, double activePowerW = 1000)
    {
        var reading = new InverterReading { State = InverterState.OnGrid };
        reading.Set(Metric.ActivePowerW, activePowerW);
        return new TelemetryReading(inverterSerial, loggerSerial, at.ToUnixTimeMilliseconds(), reading);
    }
}
