using Helio.Protocols.Modbus;
using Helio.Protocols.RegisterMaps;

namespace Helio.Protocols.Tests;

/// <summary>The writable settings and named operations of the maps, and how values become register writes.</summary>
public sealed class SettingTests
{
    private static SettingDefinition G3(string name) => Assert.Single(RegisterMap.SofarG3.Settings, s => s.Name == name);

    [Fact]
    public void G3_MarksExactlyTheSettingsProtocolsMdDocuments()
    {
        var settings = RegisterMap.SofarG3.Settings.ToDictionary(s => s.Name);

        Assert.Equal(["batteryDepthOfDischargePercent", "batteryEndOfDischargePercent", "exportLimitEnabled", "exportLimitW"], settings.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([0x1023, 0x1024, 0x104D, 0x104E], settings.Values.Select(s => (int)s.Address).Order());
        Assert.Equal(("W", 100.0, false), (settings["exportLimitW"].Unit, settings["exportLimitW"].Step, settings["exportLimitW"].Dangerous));
        Assert.True(settings["batteryDepthOfDischargePercent"].Dangerous);
        Assert.Equal("%", settings["batteryEndOfDischargePercent"].Unit);
        Assert.All(settings.Values, s => Assert.False(string.IsNullOrWhiteSpace(s.Description)));
        // The KTL-X map documents no writable register: it has no settings and no operations.
        Assert.Empty(RegisterMap.SofarKtlx.Settings);
        Assert.Empty(RegisterMap.SofarKtlx.Operations);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5000, 50)]
    [InlineData(6553500, 65535)]
    public void ExportLimit_EncodesInStepsOf100W(double watts, int raw)
    {
        Assert.True(G3("exportLimitW").TryEncode(watts, out var encoded));
        Assert.Equal(raw, encoded);
        Assert.Equal(watts, G3("exportLimitW").Decode(encoded));
    }

    [Theory]
    [InlineData(-100)]
    [InlineData(6553600)]
    [InlineData(5050)]          // not a whole number of 100 W steps
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ExportLimit_RefusesValuesOutsideItsRangeOrBetweenSteps(double watts) =>
        Assert.False(G3("exportLimitW").TryEncode(watts, out _));

    [Fact]
    public void BatteryDepth_HasItsRange_AndTheInverterSideAcceptsTheSame()
    {
        var depth = G3("batteryDepthOfDischargePercent");

        Assert.True(depth.TryEncode(10, out var low));
        Assert.True(depth.TryEncode(90, out var high));
        Assert.False(depth.TryEncode(9, out _));
        Assert.False(depth.TryEncode(91, out _));
        Assert.True(depth.Accepts(low) && depth.Accepts(high));
        Assert.False(depth.Accepts(9));
        Assert.False(depth.Accepts(91));
    }

    [Fact]
    public void ExportLimitOperation_SwitchesLimitationOn_AndSetsTheLimit_InOneWrite()
    {
        var operation = Assert.Single(RegisterMap.SofarG3.Operations, o => o.Name == "exportLimit");

        Assert.Equal(0x1023, operation.Address);
        Assert.Equal("exportLimitW", operation.ValueSetting!.Name);
        Assert.False(operation.Dangerous);
        Assert.True(operation.TryEncode(3000, out var registers));
        Assert.Equal([1, 30], registers);
        Assert.False(operation.TryEncode(null, out _));
        Assert.False(operation.TryEncode(10_000_000, out _));
    }

    [Fact]
    public void WriteRequests_AndTheirEchoes_ForTheExportLimit()
    {
        var operation = Assert.Single(RegisterMap.SofarG3.Operations, o => o.Name == "exportLimit");
        Assert.True(operation.TryEncode(3000, out var registers));
        var request = new byte[ModbusRtu.MaxLength];

        var length = ModbusRtu.WriteMultipleRegistersRequest(request, 1, operation.Address, registers);

        Assert.Equal(Convert.FromHexString("01101023000204" + "0001001E"), request[..11]);
        // The inverter's echo: address and count, which the gateway compares with its request.
        var echo = new byte[8];
        ModbusRtu.Frame(echo, 1, request.AsSpan(1, 5));
        var reply = ModbusRtu.ParseReply(echo, 1, ModbusFunction.WriteMultipleRegisters);
        Assert.Equal(ModbusReplyKind.Data, reply.Kind);
        Assert.Equal(request.AsSpan(2, 4).ToArray(), echo.AsSpan(reply.DataOffset, reply.DataLength).ToArray());
        Assert.Equal(13, length);
    }

    [Theory]
    [InlineData(ModbusException.IllegalDataValue, "illegal data value")]
    [InlineData(ModbusException.IllegalDataAddress, "illegal data address")]
    [InlineData(ModbusException.SlaveDeviceBusy, "busy")]
    [InlineData((ModbusException)0x42, "does not define")]
    public void ExceptionCodes_HaveTheirMeaning(ModbusException exception, string meaning) =>
        Assert.Contains(meaning, ModbusExceptions.Describe(exception), StringComparison.Ordinal);
}
