using System.Buffers;

namespace Helio.Protocols.SolarmanV5;

/// <summary>
/// One Solarman V5 frame. <see cref="Payload"/> is a slice of the buffer it was read from: valid until that
/// buffer is released (for a pipe, until the reader advances past it).
/// </summary>
public readonly struct V5Frame(V5ControlCode code, byte sequenceA, byte sequenceB, uint loggerSerial, ReadOnlySequence<byte> payload)
{
    public V5ControlCode Code { get; } = code;

    /// <summary>Set by the requester, echoed in the reply.</summary>
    public byte SequenceA { get; } = sequenceA;

    /// <summary>Incremented by the logger for every frame it sends.</summary>
    public byte SequenceB { get; } = sequenceB;

    public uint LoggerSerial { get; } = loggerSerial;

    public ReadOnlySequence<byte> Payload { get; } = payload;
}
