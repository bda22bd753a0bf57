using System.Globalization;
using Helio.Protocols.Modbus;

namespace Helio.Server.Features.Gateway;

/// <summary>What became of a write through a logger, as remote operations record it.</summary>
internal enum WriteDelivery
{
    /// <summary>The inverter echoed the write and reading the registers back gave the values written.</summary>
    Confirmed,
    /// <summary>The inverter answered with a Modbus exception.</summary>
    Refused,
    /// <summary>No echo within the gateway's request timeout (or a reply that was no echo of the write).</summary>
    NoAnswer,
    /// <summary>Echoed, but the read-back did not answer.</summary>
    ReadBackFailed,
    /// <summary>Echoed, but the read-back gave other values.</summary>
    ReadBackDiffers,
    /// <summary>The logger is not connected to this node (any more): nothing was written.</summary>
    NotConnected,
    /// <summary>The logger's connection ended during the exchange: the write may or may not have reached the inverter.</summary>
    Disconnected,
    /// <summary>The logger connected here speaks for another inverter (or has not identified it yet).</summary>
    OtherInverter,
}

internal sealed record WriteReport(WriteDelivery Outcome, ModbusException Exception = ModbusException.None, ushort[]? ReadBack = null);

/// <summary>
/// Writes registers on an inverter through its logger's connection to this node, between polls and on the same
/// request/response path (one request in flight, matched by sequence byte), then reads them back. The channel remote
/// operations use; the read-poll path is untouched. A write goes out only when the logger's identified inverter is
/// the one asked for, so a logger moved to another inverter is never written to by mistake.
/// </summary>
internal sealed class LoggerWrites(ConnectedLoggers connected)
{
    /// <summary>True when <paramref name="loggerSerial"/> is connected to this node and speaks for <paramref name="inverterSerial"/>.</summary>
    public bool Holds(string loggerSerial, string inverterSerial) =>
        Session(loggerSerial) is { } session && string.Equals(session.InverterSerial, inverterSerial, StringComparison.OrdinalIgnoreCase);

    public async Task<WriteReport> WriteAsync(string loggerSerial, string inverterSerial, ushort address, ushort[] values, CancellationToken cancellationToken)
    {
        if (Session(loggerSerial) is not { } session)
        {
            return new(WriteDelivery.NotConnected);
        }
        if (!string.Equals(session.InverterSerial, inverterSerial, StringComparison.OrdinalIgnoreCase))
        {
            return new(WriteDelivery.OtherInverter);
        }
        try
        {
            var write = await session.WriteRegistersAsync(address, values, cancellationToken);
            switch (write.Outcome)
            {
                case RegisterWriteOutcome.Refused:
                    return new(WriteDelivery.Refused, write.Exception);
                case RegisterWriteOutcome.NoAnswer:
                    return new(WriteDelivery.NoAnswer);
            }
            var readBack = await session.ReadRegistersAsync(address, values.Length, cancellationToken);
            return readBack is null ? new(WriteDelivery.ReadBackFailed)
                : readBack.AsSpan().SequenceEqual(values) ? new(WriteDelivery.Confirmed, ReadBack: readBack)
                : new(WriteDelivery.ReadBackDiffers, ReadBack: readBack);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException
            && !cancellationToken.IsCancellationRequested)
        {
            // The connection ended under the exchange: the session cancels the request in flight, or its pipe is gone.
            return new(WriteDelivery.Disconnected);
        }
    }

    private LoggerSession? Session(string loggerSerial) =>
        uint.TryParse(loggerSerial, NumberStyles.None, CultureInfo.InvariantCulture, out var serial) ? connected.SessionOf(serial) : null;
}
