using Helio.Protocols.RegisterMaps;

namespace Helio.Protocols.Tests;

public sealed class ReadPlannerTests
{
    private static PlannedField Field(int address, int width = 1) => new((ushort)address, width, FieldKind.Value, RegisterType.U16, 1, Metric.ActivePowerW);

    [Fact]
    public void NearbyRegisters_ShareABlock_AFarOneStartsAnother()
    {
        var plan = ReadPlanner.Plan([Field(0x10), Field(0x12), Field(0x20, 2), Field(0x100)], new HashSet<ushort>(), maxBlock: 60, maxGap: 16, "test");

        Assert.Equal(["0x0010+18", "0x0100+1"], plan.Select(b => b.ToString()));
    }

    [Fact]
    public void AHole_SplitsTheBlock()
    {
        var plan = ReadPlanner.Plan([Field(0x10), Field(0x14)], new HashSet<ushort> { 0x12 }, 60, 16, "test");

        Assert.Equal(["0x0010+1", "0x0014+1"], plan.Select(b => b.ToString()));
    }

    [Fact]
    public void TheBlockSize_SplitsTheBlock()
    {
        var plan = ReadPlanner.Plan([Field(0), Field(59), Field(60)], new HashSet<ushort>(), 60, 100, "test");

        Assert.Equal(["0x0000+60", "0x003C+1"], plan.Select(b => b.ToString()));
    }

    [Fact]
    public void ARegisterOnAHole_OrOverlapping_IsAnError()
    {
        Assert.Throws<InvalidDataException>(() => ReadPlanner.Plan([Field(0x12)], new HashSet<ushort> { 0x12 }, 60, 16, "test"));
        Assert.Throws<InvalidDataException>(() => ReadPlanner.Plan([Field(0x10, 2), Field(0x11)], new HashSet<ushort>(), 60, 16, "test"));
    }
}
