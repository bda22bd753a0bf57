using System.Buffers;
using Helio.Simulator.Inverters;

namespace Helio.Simulator.Loggers;

/// <summary>
/// One logger of <see cref="LanLoggers"/>. Several connections (V5 and Modbus TCP) may ask its inverter at once, so
/// the inverter answers under a lock; the frame counter (V5 sequence byte B) is the logger's, across connections.
/// </summary>
internal sealed class LanLogger(uint serial, SimulatedInverter inverter, byte? unit, TimeProvider clock)
{
    private readonly Lock gate = new();
    private int framesSent;
    private int ownRequests;

    public uint Serial { get; } = serial;

    public SimulatedInverter Inverter { get; } = inverter;

    public SimulatedLoggerInfo Info { get; } = new(serial, inverter.SerialNumber, unit);

    /// <summary>Sequence byte B of the next frame this logger sends.</summary>
    public byte NextFrameCounter() => unchecked((byte)Interlocked.Increment(ref framesSent));

    /// <summary>Sequence byte A of a frame the logger sends on its own (a heartbeat).</summary>
    public byte NextOwnSequence() => unchecked((byte)Interlocked.Increment(ref ownRequests));

    /// <summary>The V5 response payload to a request's payload (<see cref="LoggerResponse.Payload"/>).</summary>
    public byte[]? AnswerV5(ReadOnlySequence<byte> request, LoggerQuirks quirks)
    {
        lock (gate)
        {
            return LoggerResponse.Payload(Inverter, request, clock.GetUtcNow(), quirks);
        }
    }

    /// <summary>The reply PDU to a Modbus PDU, or 0 for none (<see cref="ModbusResponder.Answer"/>).</summary>
    public int AnswerModbus(ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        lock (gate)
        {
            Inverter.Advance(clock.GetUtcNow());
            return ModbusResponder.Answer(Inverter.Bank, pdu, reply);
        }
    }
}
