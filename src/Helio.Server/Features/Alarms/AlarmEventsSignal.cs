namespace Helio.Server.Features.Alarms;

/// <summary>Wakes the notifier on this node as soon as an alarm event somebody must hear about has committed.</summary>
public sealed class AlarmEventsSignal : Platform.Jobs.WakeSignal;
