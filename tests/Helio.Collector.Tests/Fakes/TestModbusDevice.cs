using System.Buffers;
using System.Buffers.Binary;
using Helio.Protocols.Modbus;
using Helio.Simulator.Inverters;

namespace Helio.Collector.Tests.Fakes;

/// <summary>
/// A Modbus TCP gateway with inverters at unit ids; a request for another unit gets exception 0x0A ("gateway path
/// unavailable"), as real gateways answer.
/// </summary>
internal sealed class TestModbusDevice(params (byte Unit, SimulatedInverter Inverter)[] units) : TestTcpServer
{
    private const byte GatewayPathUnavailable = 0x0A;

    private readonly Dictionary<byte, SimulatedInverter> inverters = units.ToDictionary(u => u.Unit, u => u.Inverter);

    protected override bool TryAnswer(ref ReadOnlySequence<byte> buffer, out byte[]? answer)
    {
        answer = null;
        switch (ModbusTcp.TryRead(ref buffer, out var frame))
        {
            case ModbusTcpRead.NeedMoreData:
                return false;
            case ModbusTcpRead.Malformed:
                throw new IOException("not Modbus TCP");
        }
        var request = frame.Pdu.ToArray();
        var reply = new byte[ModbusPdu.MaxLength];
        int length;
        if (inverters.TryGetValue(frame.Unit, out var inverter))
        {
            length = ModbusResponder.Answer(inverter.Bank, request, reply);
        }
        else
        {
            reply[0] = (byte)(request[0] | 0x80);
            reply[1] = GatewayPathUnavailable;
            length = 2;
        }
        answer = new byte[ModbusTcp.HeaderLength + length];
        BinaryPrimitives.WriteUInt16BigEndian(answer, frame.Transaction);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(4), (ushort)(1 + length));
        answer[6] = frame.Unit;
        reply.AsSpan(0, length).CopyTo(answer.AsSpan(ModbusTcp.HeaderLength));
        return true;
    }
}
