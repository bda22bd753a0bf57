namespace Helio.Server.Features.Telemetry;

/// <summary>The periods figures are rolled up into, each built from the one below.</summary>
public enum RollupLevel : byte
{
    FiveMinutes = 0,
    Hour = 1,
    Day = 2,
    Month = 3,
    Year = 4,
}
