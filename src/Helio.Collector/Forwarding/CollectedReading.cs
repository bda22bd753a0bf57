using Helio.Protocols.RegisterMaps;

namespace Helio.Collector.Forwarding;

/// <summary>One poll of one inverter, waiting to be forwarded. Kept decoded (a few hundred bytes), turned into JSON when sent.</summary>
public sealed record CollectedReading(string InverterSerial, DateTimeOffset At, InverterReading Reading);
