using System.Buffers;
using Helio.Protocols.Modbus;

namespace Helio.Protocols.Tests;

public sealed class ModbusTcpTests
{
    [Fact]
    public void ReadRequest_HasTheMbapHeader()
    {
        var frame = new byte[ModbusTcp.ReadRequestLength];

        ModbusTcp.WriteReadRequest(frame, 0x0102, 1, ModbusFunction.ReadHoldingRegisters, 0x0404, 2);

        Assert.Equal(Convert.FromHexString("010200000006" + "01" + "0304040002"), frame);
    }

    [Fact]
    public void Reader_ReadsARequest_AndTheReplyRoundTrips()
    {
        var request = new byte[ModbusTcp.ReadRequestLength];
        ModbusTcp.WriteReadRequest(request, 7, 1, ModbusFunction.ReadHoldingRegisters, 0x0484, 2);
        var buffer = Chunks.Split(request, 3);

        Assert.Equal(ModbusTcpRead.Frame, ModbusTcp.TryRead(ref buffer, out var frame));
        Assert.Equal(0, buffer.Length);
        var pdu = frame.Pdu.ToArray();
        var parsed = ModbusPdu.ParseRequest(pdu);
        Assert.Equal((ModbusRequestKind.Read, (ushort)0x0484, (ushort)2), (parsed.Kind, parsed.Address, parsed.Count));

        var reply = new byte[ModbusTcp.MaxLength];
        var length = ModbusTcp.WriteReadReply(reply, frame.Transaction, frame.Unit, parsed.Function, [5000, 123]);
        var replyBuffer = new ReadOnlySequence<byte>(reply, 0, length);
        Assert.Equal(ModbusTcpRead.Frame, ModbusTcp.TryRead(ref replyBuffer, out var replyFrame));
        Assert.Equal(7, replyFrame.Transaction);
        var replyPdu = replyFrame.Pdu.ToArray();
        var registers = ModbusPdu.ParseReply(replyPdu, ModbusFunction.ReadHoldingRegisters, out _);
        Assert.Equal([5000, 123], Enumerable.Range(0, registers.RegisterCount).Select(i => registers.Register(replyPdu, i)));
    }

    [Fact]
    public void Reader_WaitsForTheWholeFrame()
    {
        var request = new byte[ModbusTcp.ReadRequestLength];
        ModbusTcp.WriteReadRequest(request, 1, 1, ModbusFunction.ReadInputRegisters, 0, 1);
        for (var cut = 0; cut < request.Length; cut++)
        {
            var partial = new ReadOnlySequence<byte>(request, 0, cut);
            Assert.Equal(ModbusTcpRead.NeedMoreData, ModbusTcp.TryRead(ref partial, out _));
            Assert.Equal(cut, partial.Length);
        }
    }

    [Theory]
    [InlineData("000100010006010300000001")] // protocol id 1
    [InlineData("000100000001010300000001")] // length without a function code
    [InlineData("00010000FFFF010300000001")] // length beyond any PDU
    public void Reader_RefusesAHeaderItCannotTrust(string hex)
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(hex));

        Assert.Equal(ModbusTcpRead.Malformed, ModbusTcp.TryRead(ref buffer, out _));
    }

    [Theory]
    [InlineData("0300000000", ModbusRequestKind.InvalidValue)]     // read of 0 registers
    [InlineData("03000000FF", ModbusRequestKind.InvalidValue)]     // read of 255 registers
    [InlineData("2B0E010000", ModbusRequestKind.UnsupportedFunction)]
    [InlineData("0300", ModbusRequestKind.Malformed)]
    [InlineData("10104D000204001400", ModbusRequestKind.InvalidValue)] // byte count says 4, 3 bytes follow
    [InlineData("10104D0002040014000A", ModbusRequestKind.WriteMultiple)]
    [InlineData("06102400C8", ModbusRequestKind.WriteSingle)]
    public void Requests_AreClassified(string hex, ModbusRequestKind kind)
    {
        Assert.Equal(kind, ModbusPdu.ParseRequest(Convert.FromHexString(hex)).Kind);
    }

    [Fact]
    public void WriteMultiple_ValuesAreReadable()
    {
        var pdu = Convert.FromHexString("10104D0002040014000A");

        var request = ModbusPdu.ParseRequest(pdu);

        Assert.Equal([20, 10], new[] { request.Value(pdu, 0), request.Value(pdu, 1) });
    }
}
