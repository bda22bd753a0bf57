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

/// <summary>One step for <see cref="AlarmBook.ApplyAsync"/>: a condition present (<see cref="Signal"/>) or gone.</summary>
public sealed record AlarmChange(AlarmSignal? Signal, string Key, string? Detail)
{
    public static AlarmChange Raise(AlarmSignal signal) => new(signal, signal.Key, null);

    public static AlarmChange Clear(string key, string detail) => new(null, key, detail);
}
