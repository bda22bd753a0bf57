namespace Helio.Protocols.RegisterMaps;

/// <summary>What an inverter is doing, in Helio's words; each register map maps its model's state values onto these.</summary>
public enum InverterState : byte
{
    Unknown,
    /// <summary>Waiting for enough sun or for the grid (night, morning).</summary>
    Waiting,
    /// <summary>Self-test or grid detection before connecting.</summary>
    Checking,
    /// <summary>Connected and feeding the grid.</summary>
    OnGrid,
    /// <summary>Supplying an emergency (EPS) circuit without the grid.</summary>
    OffGrid,
    /// <summary>A warning condition; still running (older models).</summary>
    Alarm,
    /// <summary>Stopped by a fault it recovers from by itself.</summary>
    Fault,
    /// <summary>Stopped by a fault that needs service.</summary>
    PermanentFault,
    Upgrading,
    SelfCharging,
    /// <summary>Reactive-power (SVG) mode.</summary>
    ReactivePower,
    /// <summary>PID recovery of the modules at night.</summary>
    PidRecovery,
}
