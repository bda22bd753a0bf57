using Helio.Protocols.Modbus;
using Helio.Protocols.RegisterMaps;
using Helio.Simulator.Loggers;
using Helio.Simulator.Tests.Clients;

namespace Helio.Simulator.Tests;

/// <summary><c>serve</c>'s plain Modbus TCP, over loopback: the inverters as unit ids 1 to N.</summary>
public sealed class ModbusTcpTests
{
    [Fact]
    public async Task UnitIds_AreTheInverters_InTheOrderOfTheLoggers()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { Count = 3, ModbusPort = 0, Start = V5ClientModeTests.Noon }, TestContext.Current.CancellationToken);
        using var client = await ModbusTcpTestClient.ConnectAsync(lan.ModbusEndPoint!);
        var block = RegisterMap.SofarG3.SerialNumber!;

        foreach (var logger in lan.Loggers)
        {
            var (frame, pdu, reply) = await client.ReadAsync(logger.ModbusUnit!.Value, block.Start, block.Count);
            Assert.Equal(logger.ModbusUnit, frame.Unit);
            Assert.Equal(logger.InverterSerial, RegisterMap.DecodeAscii(pdu.AsSpan(reply.DataOffset, reply.DataLength)));
        }
        Assert.Equal([1, 2, 3], lan.Loggers.Select(l => (int)l.ModbusUnit!.Value));
    }

    [Fact]
    public async Task InputRegisters_Writes_AndExceptions_AsAGatewayInFrontOfTheInverters()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { Count = 2, ModbusPort = 0, Start = V5ClientModeTests.Noon }, TestContext.Current.CancellationToken);
        using var client = await ModbusTcpTestClient.ConnectAsync(lan.ModbusEndPoint!);
        var second = lan.InverterOf(lan.Loggers[1].LoggerSerial);

        var (_, power, input) = await client.ReadAsync(2, 0x0485, 1, ModbusFunction.ReadInputRegisters);
        var (_, _, single) = await client.AskAsync(b => ModbusTcp.WriteSingleRegisterRequest(b, 7, 2, 0x104D, 30), ModbusFunction.WriteSingleRegister);
        var (_, _, multiple) = await client.AskAsync(b => WriteMultiple(b, 8, 2, 0x1023, [1, 50]), ModbusFunction.WriteMultipleRegisters);
        var (_, _, readOnly) = await client.AskAsync(b => ModbusTcp.WriteSingleRegisterRequest(b, 9, 2, 0x0485, 1), ModbusFunction.WriteSingleRegister);
        var (_, _, hole) = await client.ReadAsync(2, 0x05C0, 8);
        var (_, _, nobody) = await client.ReadAsync(9, 0x0404, 1);

        Assert.Equal(ModbusReplyKind.Data, input.Kind);
        Assert.Equal(second.ActivePowerW, (short)input.Register(power, 0) * 10.0, tolerance: 10.0);
        Assert.Equal(ModbusReplyKind.Data, single.Kind);
        Assert.Equal(ModbusReplyKind.Data, multiple.Kind);
        Assert.Equal([30, 1, 50], new[] { second.Bank[0x104D], second.Bank[0x1023], second.Bank[0x1024] }.Select(v => (int)v));
        Assert.Equal(0, lan.InverterOf(lan.Loggers[0].LoggerSerial).Bank[0x1023]);
        Assert.Equal(ModbusException.IllegalDataAddress, readOnly.Exception);
        Assert.Equal(ModbusException.IllegalDataAddress, hole.Exception);
        Assert.Equal(ModbusException.GatewayTargetFailedToRespond, nobody.Exception);
    }

    [Fact]
    public async Task AnUnknownFunction_GetsIllegalFunction_ABadHeaderClosesTheConnection()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { ModbusPort = 0 }, TestContext.Current.CancellationToken);
        using var client = await ModbusTcpTestClient.ConnectAsync(lan.ModbusEndPoint!);

        // Function 0x2B (read device identification), which SOFAR inverters do not answer.
        var (_, pdu, _) = await client.AskAsync(b => ModbusTcp.Frame(b, 5, 1, [0x2B, 0x0E, 0x01, 0x00, 0x00]), ModbusFunction.ReadHoldingRegisters);
        await client.Stream.WriteAsync(new byte[] { 0, 1, 0x12, 0x34, 0, 6, 1, 3, 0, 0, 0, 1 }, TestContext.Current.CancellationToken);
        var read = await client.Stream.ReadAsync(new byte[16], TestContext.Current.CancellationToken);

        Assert.Equal([0xAB, (byte)ModbusException.IllegalFunction], pdu);
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task MoreThan247Inverters_AreRefused_WithModbusTcp_NamingTheOption()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => LanLoggers.StartAsync(new LanLoggersOptions { Count = 248, ModbusPort = 0 }, TestContext.Current.CancellationToken));

        Assert.Contains("ModbusPort", error.Message, StringComparison.Ordinal);
        Assert.Contains("247", error.Message, StringComparison.Ordinal);
    }

    private static int WriteMultiple(byte[] destination, ushort transaction, byte unit, ushort start, ushort[] values)
    {
        Span<byte> pdu = stackalloc byte[ModbusPdu.MaxLength];
        var length = ModbusPdu.WriteMultipleRegistersRequest(pdu, start, values);
        return ModbusTcp.Frame(destination, transaction, unit, pdu[..length]);
    }
}
