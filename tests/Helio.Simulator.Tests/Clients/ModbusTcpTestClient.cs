using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Helio.Protocols.Modbus;

namespace Helio.Simulator.Tests.Clients;

/// <summary>A Modbus TCP client built from Helio.Protocols: one request at a time, the reply read by its MBAP header.</summary>
internal sealed class ModbusTcpTestClient : IDisposable
{
    private readonly TcpClient client = new();
    private ushort transaction = 100;

    public NetworkStream Stream => client.GetStream();

    public static async Task<ModbusTcpTestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var c = new ModbusTcpTestClient();
        await c.client.ConnectAsync(endPoint, TestContext.Current.CancellationToken);
        return c;
    }

    public Task<(ModbusTcpFrame Frame, byte[] Pdu, ModbusReply Reply)> ReadAsync(byte unit, ushort start, ushort count, ModbusFunction function = ModbusFunction.ReadHoldingRegisters) =>
        AskAsync(b => ModbusTcp.WriteReadRequest(b, ++transaction, unit, function, start, count), function);

    /// <summary>Sends what <paramref name="write"/> puts in the buffer; the reply frame, its PDU, and the PDU parsed for <paramref name="function"/>.</summary>
    public async Task<(ModbusTcpFrame Frame, byte[] Pdu, ModbusReply Reply)> AskAsync(Func<byte[], int> write, ModbusFunction function)
    {
        var request = new byte[ModbusTcp.MaxLength];
        var length = write(request);
        await Stream.WriteAsync(request.AsMemory(0, length), TestContext.Current.CancellationToken);
        var received = new List<byte>();
        var chunk = new byte[512];
        while (true)
        {
            var buffer = new ReadOnlySequence<byte>(received.ToArray());
            if (ModbusTcp.TryRead(ref buffer, out var frame) == ModbusTcpRead.Frame)
            {
                var pdu = frame.Pdu.ToArray();
                Assert.Equal(BitConverter.ToUInt16([request[1], request[0]]), frame.Transaction);
                return (frame, pdu, ModbusPdu.ParseReply(pdu, function, out _));
            }
            var read = await Stream.ReadAsync(chunk, TestContext.Current.CancellationToken);
            Assert.True(read > 0, "the server closed the connection");
            received.AddRange(chunk[..read]);
        }
    }

    public void Dispose() => client.Dispose();
}
