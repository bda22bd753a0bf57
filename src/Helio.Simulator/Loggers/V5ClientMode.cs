using System.IO.Pipelines;
using System.Net.Sockets;
using Helio.Protocols.SolarmanV5;
using Helio.Simulator.Faults;

namespace Helio.Simulator.Loggers;

/// <summary>
/// V5 client mode (PROTOCOLS.md, "Client mode (LAN)") for loggers sharing one port: a 0x4510 request is answered by
/// the logger whose serial it carries, with a 0x1510 response echoing sequence byte A and counting byte B, as real
/// loggers do and clients such as pysolarmanv5 check. Frames for unknown serials, and anything but requests, are
/// ignored, as a real logger ignores frames not addressed to it; garbage is skipped by the frame reader.
/// </summary>
internal sealed class V5ClientMode(IReadOnlyDictionary<uint, LanLogger> loggers, LoggerQuirks quirks, FrameGarbler? garbage)
{
    public async Task ServeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var input = PipeReader.Create(stream);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (V5FrameReader.TryRead(ref buffer, out var frame, out _))
                {
                    if (frame.Code != V5ControlCode.Request || !loggers.TryGetValue(frame.LoggerSerial, out var logger)
                        || logger.AnswerV5(frame.Payload, quirks) is not { } response)
                    {
                        continue;
                    }
                    if (quirks.HasFlag(LoggerQuirks.InterleavedHeartbeat))
                    {
                        await SendAsync(stream, logger, V5ControlCode.Heartbeat, logger.NextOwnSequence(), LoggerResponse.Heartbeat(), cancellationToken);
                    }
                    await SendAsync(stream, logger, V5ControlCode.Response, frame.SequenceA, response, cancellationToken);
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await input.CompleteAsync();
        }
    }

    /// <summary>One frame in one write: clients such as pysolarmanv5 take each read from the socket as one frame.</summary>
    private async Task SendAsync(NetworkStream stream, LanLogger logger, V5ControlCode code, byte sequenceA, byte[] payload, CancellationToken cancellationToken)
    {
        var frame = new byte[V5Format.Overhead + payload.Length];
        V5FrameWriter.Write(frame, code, sequenceA, logger.NextFrameCounter(), logger.Serial, payload);
        await stream.WriteAsync(garbage?.Apply(frame, checksum: ^2) ?? frame, cancellationToken);
    }
}
