using Helio.Server.Features.Devices;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// Ties a connected logger to the plant its serial is registered to, and adds the inverter it discovers behind
/// the logger to that plant, so an owner who registered only the logger sees the inverter appear by itself.
/// </summary>
internal sealed partial class LoggerPlants(IServiceScopeFactory scopes, TimeProvider time, ILogger<LoggerPlants> logger)
{
    /// <summary>Adds the logger's inverter to the plant the logger is registered to; nothing while nobody has registered it.</summary>
    public async ValueTask AttachAsync(uint loggerSerial, string inverterSerial, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var loggerText = LoggerSerials.Format(loggerSerial);
        var plantId = await db.Devices.Where(d => d.SerialNumber == loggerText && d.Kind == DeviceKind.Logger)
            .Select(d => (Guid?)d.PlantId).FirstOrDefaultAsync(cancellationToken);
        if (plantId is null)
        {
            LogUnclaimed(logger, loggerSerial);
            return;
        }
        switch (await AdoptInverter.IntoPlantAsync(db, time, plantId.Value, inverterSerial, cancellationToken))
        {
            case Adoption.Added:
                LogAdopted(logger, loggerSerial, plantId.Value);
                break;
            case Adoption.HeldElsewhere:
                LogHeldElsewhere(logger, loggerSerial);
                break;
            case Adoption.NotAnInverterSerial:
                LogOddSerial(logger, loggerSerial);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Logger {LoggerSerial} is not registered to any plant: unclaimed")]
    private static partial void LogUnclaimed(ILogger logger, uint loggerSerial);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logger {LoggerSerial}: its inverter was added to plant {PlantId}")]
    private static partial void LogAdopted(ILogger logger, uint loggerSerial, Guid plantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logger {LoggerSerial}: its inverter is registered to another plant; left there")]
    private static partial void LogHeldElsewhere(ILogger logger, uint loggerSerial);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logger {LoggerSerial}: the inverter's serial number is not one Helio accepts; not added")]
    private static partial void LogOddSerial(ILogger logger, uint loggerSerial);
}
