using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Helio.Protocols.Modbus;
using Helio.Protocols.SolarmanV5;

namespace Helio.Simulator.Tests.Clients;

/// <summary>
/// A V5 client-mode client built from Helio.Protocols, as a LAN collector or pysolarmanv5 talks to a logger on 8899:
/// one request at a time, each read from the socket taken as the whole response frame (pysolarmanv5 does exactly
/// that, so a response must arrive in one piece).
/// </summary>
internal sealed class V5TestClient : IDisposable
{
    private readonly TcpClient client = new();
    private byte sequence = 0x40;

    private V5TestClient()
    {
    }

    public NetworkStream Stream => client.GetStream();

    public static async Task<V5TestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var c = new V5TestClient();
        await c.client.ConnectAsync(endPoint, TestContext.Current.CancellationToken);
        return c;
    }

    /// <summary>Sends an RTU request to logger <paramref name="serial"/>; the response frame, or null when none came in <paramref name="timeout"/>.</summary>
    public async Task<V5Exchange?> AskAsync(uint serial, byte[] rtu, TimeSpan? timeout = null)
    {
        var request = new byte[V5Format.Overhead + V5FrameWriter.RequestPrefixLength + rtu.Length];
        var sent = ++sequence;
        V5FrameWriter.WriteRequest(request, sent, 0, serial, rtu);
        try
        {
            await Stream.WriteAsync(request, TestContext.Current.CancellationToken);
        }
        catch (IOException)
        {
            return null; // closed by the logger
        }
        var buffer = new byte[1024];
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        wait.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            var read = await Stream.ReadAsync(buffer, wait.Token);
            return read == 0 ? null : new V5Exchange(sent, serial, buffer[..read]);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (IOException)
        {
            return null; // closed by the logger (reset)
        }
    }

    public async Task<V5Exchange?> ReadAsync(uint serial, ushort start, ushort count, TimeSpan? timeout = null)
    {
        var rtu = new byte[ModbusRtu.ReadRequestLength];
        ModbusRtu.WriteReadRequest(rtu, 1, ModbusFunction.ReadHoldingRegisters, start, count);
        return await AskAsync(serial, rtu, timeout);
    }

    public void Dispose() => client.Dispose();
}

/// <summary>A request's sequence byte and serial, and the bytes that came back in one read.</summary>
internal sealed record V5Exchange(byte SentSequence, uint Serial, byte[] Frame)
{
    /// <summary>The checks pysolarmanv5's decoder makes, in its order; null when the frame passes them all.</summary>
    public string? PysolarmanV5Problem()
    {
        var f = Frame;
        if (f.Length < V5Format.Overhead || f.Length != V5Format.Overhead + BitConverter.ToUInt16(f, 1))
        {
            return "length";
        }
        if (f[0] != V5Format.Start || f[^1] != V5Format.End)
        {
            return "start or end";
        }
        if (f[^2] != V5Format.Checksum(f.AsSpan(1, f.Length - 3)))
        {
            return "checksum";
        }
        if (f[5] != SentSequence)
        {
            return "sequence number not echoed";
        }
        if (BitConverter.ToUInt32(f, 7) != Serial)
        {
            return "logger serial";
        }
        if (BitConverter.ToUInt16(f, 3) != (ushort)V5ControlCode.Response)
        {
            return "control code";
        }
        if (f[11] != 0x02)
        {
            return "frame type";
        }
        return f.Length - 2 - 25 < 5 ? "no Modbus RTU frame" : null;
    }

    /// <summary>The frame as Helio's own reader sees it.</summary>
    public V5Frame Parsed()
    {
        var buffer = new ReadOnlySequence<byte>(Frame);
        Assert.True(V5FrameReader.TryRead(ref buffer, out var frame, out var skipped), "a whole V5 frame");
        Assert.Equal(0, skipped);
        return frame;
    }

    /// <summary>The Modbus RTU reply inside, parsed for <paramref name="function"/>.</summary>
    public (byte[] Rtu, ModbusReply Reply) Modbus(ModbusFunction function = ModbusFunction.ReadHoldingRegisters)
    {
        Assert.True(V5Response.TryGetModbusFrame(Parsed().Payload, out var rtu));
        var bytes = rtu.ToArray();
        return (bytes, ModbusRtu.ParseReply(bytes, 1, function));
    }
}
