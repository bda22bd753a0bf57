using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Helio.Benchmarks -- --filter '*'   (docs/BENCHMARKS.md)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
