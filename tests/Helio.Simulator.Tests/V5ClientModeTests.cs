using Helio.Protocols.Modbus;
using Helio.Protocols.RegisterMaps;
using Helio.Simulator.Loggers;
using Helio.Simulator.Tests.Clients;

namespace Helio.Simulator.Tests;

/// <summary><c>serve</c>'s V5 client mode, read over loopback TCP as a LAN collector or pysolarmanv5 reads a logger on 8899.</summary>
public sealed class V5ClientModeTests
{
    /// <summary>Noon on midsummer's day: every plant of the fleet produces.</summary>
    internal static readonly DateTimeOffset Noon = new(2026, 6, 21, 11, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AV5Client_ReadsTheG3Map_FromEachLoggerSharingThePort()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { Count = 3, Start = Noon }, TestContext.Current.CancellationToken);
        using var client = await V5TestClient.ConnectAsync(lan.V5EndPoint);
        var map = RegisterMap.SofarG3;

        foreach (var logger in lan.Loggers)
        {
            var serial = (await client.ReadAsync(logger.LoggerSerial, map.SerialNumber!.Start, map.SerialNumber.Count))!;
            var (rtu, parsed) = serial.Modbus();
            Assert.Equal(logger.InverterSerial, RegisterMap.DecodeAscii(rtu.AsSpan(parsed.DataOffset, parsed.DataLength)));

            var reading = new InverterReading();
            for (var i = 0; i < map.Plan.Count; i++)
            {
                var block = (await client.ReadAsync(logger.LoggerSerial, map.Plan[i].Start, map.Plan[i].Count))!;
                Assert.Null(block.PysolarmanV5Problem());
                var (bytes, reply) = block.Modbus();
                Assert.Equal(ModbusReplyKind.Data, reply.Kind);
                map.Decode(i, bytes.AsSpan(reply.DataOffset, reply.DataLength), ref reading);
            }
            map.Complete(ref reading);
            Assert.Equal(InverterState.OnGrid, reading.State);
            Assert.Equal(lan.InverterOf(logger.LoggerSerial).ActivePowerW, reading[Metric.ActivePowerW]!.Value, tolerance: 10.0);
            Assert.True(reading[Metric.ActivePowerW] > 500);
        }
    }

    [Fact]
    public async Task TheResponse_EchoesSequenceByteA_AndCountsByteB_PerLogger()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { Count = 2, Start = Noon }, TestContext.Current.CancellationToken);
        using var client = await V5TestClient.ConnectAsync(lan.V5EndPoint);
        var (first, second) = (lan.Loggers[0].LoggerSerial, lan.Loggers[1].LoggerSerial);

        var a1 = (await client.ReadAsync(first, 0x0404, 1))!;
        var b1 = (await client.ReadAsync(second, 0x0404, 1))!;
        var a2 = (await client.ReadAsync(first, 0x0404, 1))!;

        Assert.All([a1, b1, a2], e => Assert.Null(e.PysolarmanV5Problem()));
        Assert.Equal(a1.SentSequence, a1.Parsed().SequenceA);
        Assert.Equal(a2.SentSequence, a2.Parsed().SequenceA);
        Assert.Equal((byte)(a1.Parsed().SequenceB + 1), a2.Parsed().SequenceB);
        Assert.Equal(second, b1.Parsed().LoggerSerial);
    }

    [Fact]
    public async Task AFrameForAnUnknownSerial_IsIgnored_AndTheConnectionStaysUsable()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { Start = Noon }, TestContext.Current.CancellationToken);
        using var client = await V5TestClient.ConnectAsync(lan.V5EndPoint);

        var unknown = await client.ReadAsync(1_234_567_890, 0x0404, 1, timeout: TimeSpan.FromMilliseconds(300));
        var known = await client.ReadAsync(lan.Loggers[0].LoggerSerial, 0x0404, 1);

        Assert.Null(unknown);
        Assert.NotNull(known);
        Assert.Null(known.PysolarmanV5Problem());
    }

    [Fact]
    public async Task AnInjectedFault_IsReadInTheFaultWords_AndABadAddressGetsAnException()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { Start = Noon }, TestContext.Current.CancellationToken);
        using var client = await V5TestClient.ConnectAsync(lan.V5EndPoint);
        var serial = lan.Loggers[0].LoggerSerial;

        lan.InverterOf(serial).RaiseFault(42);
        var (faults, parsedFaults) = (await client.ReadAsync(serial, 0x0404, 13))!.Modbus();
        var (_, hole) = (await client.ReadAsync(serial, 0x05C0, 8))!.Modbus();

        Assert.Equal(4, parsedFaults.Register(faults, 0)); // recoverable fault
        Assert.Equal(1 << 9, parsedFaults.Register(faults, 1 + 2)); // ID42 = word 3, bit 9
        Assert.Equal(ModbusReplyKind.Exception, hole.Kind);
        Assert.Equal(ModbusException.IllegalDataAddress, hole.Exception);
    }

    [Fact]
    public async Task TheDoubleCrcQuirk_AppendsTwoZeroBytes_WhichTheModbusParserIgnores()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { Start = Noon, Quirks = LoggerQuirks.DoubleCrc }, TestContext.Current.CancellationToken);
        using var client = await V5TestClient.ConnectAsync(lan.V5EndPoint);

        var exchange = (await client.ReadAsync(lan.Loggers[0].LoggerSerial, 0x0404, 1))!;
        var (rtu, reply) = exchange.Modbus();

        Assert.Equal([0, 0], rtu[^2..]);
        Assert.Equal(1 + 2 + 2 + 2 + 2, rtu.Length);
        Assert.Equal(ModbusReplyKind.Data, reply.Kind);
    }
}
