using BenchmarkDotNet.Running;
using Helio.Benchmarks;

// dotnet run -c Release --project bench/Helio.Benchmarks -- --filter '*'      (docs/BENCHMARKS.md)
// dotnet run -c Release --project bench/Helio.Benchmarks -- telemetry-schema  (ADR 0012: SQLite layouts compared)
if (args is ["telemetry-schema", ..])
{
    TelemetrySchemaProbe.Run(Console.Out);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
