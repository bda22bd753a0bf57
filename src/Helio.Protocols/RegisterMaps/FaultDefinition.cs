namespace Helio.Protocols.RegisterMaps;

public enum FaultSeverity : byte
{
    /// <summary>The inverter resumes by itself once the condition clears.</summary>
    Recoverable,
    /// <summary>The inverter stays stopped: it needs service.</summary>
    Permanent,
}

/// <summary>One fault ID of a model: what it means and what to do about it.</summary>
public sealed record FaultDefinition(int Id, string Name, string Text, FaultSeverity Severity, string Action);

public enum RegisterType : byte
{
    U16,
    S16,
    /// <summary>Two registers, high word at the lower address (SOFAR's order).</summary>
    U32,
    /// <summary>Two registers, low word at the lower address.</summary>
    U32LowFirst,
    S32,
}
