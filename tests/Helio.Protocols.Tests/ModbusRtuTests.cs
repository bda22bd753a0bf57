using Helio.Protocols.Modbus;

namespace Helio.Protocols.Tests;

public sealed class ModbusRtuTests
{
    [Fact]
    public void ReadRequest_MatchesTheTextbookFrame()
    {
        // The classic example: unit 1 reads 10 holding registers from 0; CRC 0xCDC5, low byte first.
        var frame = new byte[ModbusRtu.ReadRequestLength];

        ModbusRtu.WriteReadRequest(frame, 1, ModbusFunction.ReadHoldingRegisters, 0, 10);

        Assert.Equal(Convert.FromHexString("01030000000AC5CD"), frame);
    }

    [Fact]
    public void ReadReply_GivesTheRegisters_AndIgnoresADoubleCrc()
    {
        var reply = WithCrc("0103040404", "0002");
        var withQuirk = reply.Concat(new byte[] { 0, 0 }).ToArray();

        foreach (var frame in new[] { reply, withQuirk })
        {
            var parsed = ModbusRtu.ParseReply(frame, 1, ModbusFunction.ReadHoldingRegisters);
            Assert.Equal(ModbusReplyKind.Data, parsed.Kind);
            Assert.Equal(2, parsed.RegisterCount);
            Assert.Equal(0x0404, parsed.Register(frame, 0));
            Assert.Equal(0x0002, parsed.Register(frame, 1));
        }
    }

    [Fact]
    public void ExceptionReply_GivesTheCode()
    {
        var frame = Convert.FromHexString("018302C0F1");

        var parsed = ModbusRtu.ParseReply(frame, 1, ModbusFunction.ReadHoldingRegisters);

        Assert.Equal(ModbusReplyKind.Exception, parsed.Kind);
        Assert.Equal(ModbusException.IllegalDataAddress, parsed.Exception);
    }

    [Theory]
    [InlineData("01030404040002FFFF")] // wrong CRC
    [InlineData("0203040404000227F3")] // another unit
    [InlineData("01040404040002")]     // another function, no CRC
    [InlineData("0103")]               // truncated
    [InlineData("01030304040002")]     // odd byte count
    public void BrokenReply_IsMalformed(string hex)
    {
        Assert.Equal(ModbusReplyKind.Malformed, ModbusRtu.ParseReply(Convert.FromHexString(hex), 1, ModbusFunction.ReadHoldingRegisters).Kind);
    }

    [Fact]
    public void Writes_CarryTheirCrc_AndTheirEchoParses()
    {
        var single = new byte[ModbusRtu.MaxLength];
        Assert.Equal(8, ModbusRtu.WriteSingleRegisterRequest(single, 1, 0x1024, 50));
        single = single[..8];
        Assert.Equal(ModbusCrc.Compute(single.AsSpan(0, 6)), BitConverter.ToUInt16(single, 6));
        Assert.Equal(ModbusReplyKind.Data, ModbusRtu.ParseReply(single, 1, ModbusFunction.WriteSingleRegister).Kind);

        var multiple = new byte[7 + 4 + 2];
        var length = ModbusRtu.WriteMultipleRegistersRequest(multiple, 1, 0x104D, [20, 10]);
        Assert.Equal(multiple.Length, length);
        Assert.Equal(Convert.FromHexString("0110104D000204" + "0014000A"), multiple[..11]);
        Assert.Equal(ModbusCrc.Compute(multiple.AsSpan(0, 11)), BitConverter.ToUInt16(multiple, 11));
    }

    [Fact]
    public void OversizedRead_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRtu.WriteReadRequest(new byte[8], 1, ModbusFunction.ReadHoldingRegisters, 0, ModbusPdu.MaxReadRegisters + 1));

    private static byte[] WithCrc(string headHex, string dataHex)
    {
        var body = Convert.FromHexString(headHex + dataHex);
        var crc = ModbusCrc.Compute(body);
        return [.. body, (byte)crc, (byte)(crc >> 8)];
    }
}
