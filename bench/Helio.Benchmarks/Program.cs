using BenchmarkDotNet.Running;
using Helio.Benchmarks;
using Helio.Benchmarks.Alarms;
using Helio.Benchmarks.Audit;
using Helio.Benchmarks.Telemetry;

// dotnet run -c Release --project bench/Helio.Benchmarks -- --filter '*'           (docs/BENCHMARKS.md)
// dotnet run -c Release --project bench/Helio.Benchmarks -- telemetry-schema       (ADR 0012: SQLite layouts compared)
// dotnet run -c Release --project bench/Helio.Benchmarks -- telemetry-ingest       (docs/BENCHMARKS.md, Telemetry)
// dotnet run -c Release --project bench/Helio.Benchmarks -- telemetry-size
// dotnet run -c Release --project bench/Helio.Benchmarks -- telemetry-queries
// dotnet run -c Release --project bench/Helio.Benchmarks -- alarms-evaluate        (docs/BENCHMARKS.md, Alarms and notifications)
// dotnet run -c Release --project bench/Helio.Benchmarks -- alarms-fanout
// dotnet run -c Release --project bench/Helio.Benchmarks -- audit                  (docs/BENCHMARKS.md, Audit trail)
switch (args)
{
    case ["telemetry-schema", ..]:
        TelemetrySchemaProbe.Run(Console.Out);
        return;
    case ["telemetry-ingest", .. var rest]:
        await IngestBenchmark.RunAsync(new Options(rest), Console.Out);
        return;
    case ["telemetry-size", .. var rest]:
        await SizeBenchmark.RunAsync(new Options(rest), Console.Out);
        return;
    case ["telemetry-queries", .. var rest]:
        await QueryBenchmark.RunAsync(new Options(rest), Console.Out);
        return;
    case ["alarms-evaluate", .. var rest]:
        await EvaluationBenchmark.RunAsync(new Options(rest), Console.Out);
        return;
    case ["alarms-fanout", .. var rest]:
        await FanOutBenchmark.RunAsync(new Options(rest), Console.Out);
        return;
    case ["audit", .. var rest]:
        await AuditBenchmark.RunAsync(new Options(rest), Console.Out);
        return;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ProtocolBenchmarks).Assembly).Run(args);
        return;
}
