using Helio.Protocols.RegisterMaps;

namespace Helio.Server.Features.Telemetry;

/// <summary>One reading to store: whose, when (Unix ms, the key's resolution), and the decoded values.</summary>
/// <param name="LoggerSerial">The 10-digit logger it came through, or null from an ingest API.</param>
internal readonly record struct TelemetryReading(string InverterSerial, string? LoggerSerial, long AtMs, InverterReading Reading);
