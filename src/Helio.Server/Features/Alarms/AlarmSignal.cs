namespace Helio.Server.Features.Alarms;

/// <summary>A detector's finding that a condition is present: everything needed to raise (or count) its alarm.</summary>
public sealed record AlarmSignal(
    Guid PlantId,
    string? DeviceSerial,
    AlarmSource Source,
    string Code,
    AlarmSeverity Severity,
    string Title,
    string? Action,
    AlarmExplanation Explanation)
{
    public string Key => Alarm.KeyOf(PlantId, DeviceSerial, Source, Code);
}
