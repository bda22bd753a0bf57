using System.Diagnostics;
using System.Globalization;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helio.Benchmarks.Telemetry;

/// <summary>
/// <c>telemetry-ingest</c>: write throughput of the real store (SqliteReadingStore, PostgresReadingStore) directly
/// and through the real TelemetryWriter, beside the plain baseline for the same rows in the same run. Every
/// measurement writes into a fresh database (a copy of a freshly migrated SQLite file; a truncated PostgreSQL
/// database); the first instant of readings is written before the clock starts (it numbers the devices, creates
/// partitions, warms caches), for the baseline too. Rounds interleave the methods, so the machine's drift hits all.
/// </summary>
internal static class IngestBenchmark
{
    private const int BatchSize = 2000;

    private sealed record Method(string Name, bool IsBaseline, Func<Target, TelemetryReading[], StoredRows, int, Task<(TimeSpan Elapsed, int Readings)>> Run);

    public static async Task RunAsync(Options options, TextWriter output)
    {
        var devices = options.Int("devices", 2000);
        var instants = options.Int("instants", 60);
        var repeats = options.Int("repeats", 3);
        var singleInstants = options.Int("single-instants", 10);
        var start = new DateTimeOffset(2026, 6, 15, 4, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        output.WriteLine($"telemetry-ingest: {devices:N0} devices x {instants} five-minute instants (+1 warm-up instant), {repeats} rounds, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
        var clock = Stopwatch.StartNew();
        var fleet = new FleetReadings(FleetReadings.GermanSites(devices), withLoggers: true);
        var all = fleet.Generate(start, instants + 1);
        var warmUp = all[..devices];
        var readings = all[devices..];
        var rows = new StoredRows(readings);
        var valuesPerReading = (double)rows.ValueCount / rows.Count;
        output.WriteLine($"generated {all.Length:N0} readings ({valuesPerReading:F1} non-null metric values each) in {clock.Elapsed.TotalSeconds:F1} s");

        Method[] methods =
        [
            new("baseline (SQLite: prepared INSERT OR IGNORE loop, 1 tx per 2,000 rows; PostgreSQL: binary COPY per 2,000 rows)", true, async (t, r, s, _) =>
            {
                var elapsed = t.Provider == DatabaseProvider.Sqlite
                    ? IngestBaselines.Sqlite(t.ConnectionString, s, BatchSize)
                    : await IngestBaselines.PostgresAsync(t.ConnectionString, s, BatchSize, CancellationToken.None);
                return (elapsed, s.Count);
            }),
            new("store: IReadingStore.WriteAsync, 2,000-reading batches", false, (t, r, _, _) => StoreDirectAsync(t, r)),
            new("writer: 8 submitters x 500-reading submissions (ingest)", false, (t, r, _, _) => WriterAsync(t, r, submitters: 8, size: 500)),
            new("writer: 2,000 sessions x single readings (one per device)", false, (t, r, _, d) => WriterAsync(t, r, submitters: d, size: 1)),
            new("writer: 64 submitters x single readings", false, (t, r, _, d) => WriterAsync(t, r[..Math.Min(r.Length, singleInstants * d)], submitters: 64, size: 1)),
            new("writer: 64 submitters x single readings, Telemetry:FlushDelay = 0", false, (t, r, _, d) => WriterAsync(t, r[..Math.Min(r.Length, singleInstants * d)], submitters: 64, size: 1, flushDelay: "00:00:00")),
        ];

        var targets = new List<Target> { await SqliteTarget.CreateAsync() };
        if (BenchHost.PostgresServer() is { } server)
        {
            targets.Add(await PostgresTarget.CreateAsync(server, readings));
        }
        else
        {
            output.WriteLine($"PostgreSQL skipped: set {BenchHost.PostgresVariable} to a connection string of a server that may create databases.");
        }

        foreach (var target in targets)
        {
            await using var _ = target;
            var results = methods.ToDictionary(m => m, _ => new List<(double ReadingsPerSecond, int Readings)>());
            // Round 0 is a short untimed pass: every method's code is compiled before the rounds that count.
            for (var round = 0; round <= repeats; round++)
            {
                foreach (var method in methods)
                {
                    var input = round == 0 ? readings[..(2 * devices)] : readings;
                    await target.ResetAsync(warmUp);
                    var (elapsed, count) = await method.Run(target, input, round == 0 ? new StoredRows(input) : rows, devices);
                    var stored = await target.CountAsync();
                    if (stored != count + devices)
                    {
                        throw new InvalidOperationException($"{method.Name}: {stored:N0} rows stored, expected {count + devices:N0}");
                    }
                    var rate = count / elapsed.TotalSeconds;
                    if (round == 0)
                    {
                        continue;
                    }
                    results[method].Add((rate, count));
                    output.WriteLine($"  {target.Provider} round {round}: {rate,9:N0} readings/s  {method.Name}");
                }
            }

            var baseline = Median(results[methods[0]].Select(r => r.ReadingsPerSecond));
            output.WriteLine();
            output.WriteLine($"{target.Provider}: medians of {repeats} (readings/s; values/s counts non-null metric values, {valuesPerReading:F0} a reading)");
            output.WriteLine();
            output.WriteLine("| method | readings written | readings/s | values/s | % of baseline | the runs (readings/s) |");
            output.WriteLine("|---|---|---|---|---|---|");
            foreach (var method in methods)
            {
                var rates = results[method].Select(r => r.ReadingsPerSecond).ToList();
                var median = Median(rates);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {method.Name} | {results[method][0].Readings:N0} | {median:N0} | {median * valuesPerReading:N0} | {(method.IsBaseline ? "—" : (median / baseline).ToString("P0", CultureInfo.InvariantCulture))} | {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} |"));
            }
            output.WriteLine();
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The real store, as the writer calls it, with the writer's batch size.</summary>
    private static async Task<(TimeSpan, int)> StoreDirectAsync(Target target, TelemetryReading[] readings)
    {
        await using var host = target.Host();
        var store = host.Get<IReadingStore>();
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < readings.Length; start += BatchSize)
        {
            var batch = new ArraySegment<TelemetryReading>(readings, start, Math.Min(BatchSize, readings.Length - start));
            var stored = new bool[batch.Count];
            await store.WriteAsync(batch, stored, CancellationToken.None);
        }
        var elapsed = clock.Elapsed;
        await store.DisposeAsync();
        return (elapsed, readings.Length);
    }

    /// <summary>
    /// The real writer (bounded queue, batches by size or 20 ms, answers after commit) with concurrent submitters,
    /// each awaiting its submission's commit before the next, as gateway sessions and ingest requests do. Submission
    /// s (readings s·size … s·size+size−1, in arrival order) goes to submitter s mod submitters.
    /// </summary>
    private static async Task<(TimeSpan, int)> WriterAsync(Target target, TelemetryReading[] readings, int submitters, int size, string? flushDelay = null)
    {
        await using var host = target.Host(flushDelay is null ? null : new Dictionary<string, string?> { ["Telemetry:FlushDelay"] = flushDelay });
        var writer = host.Get<TelemetryWriter>();
        using var stop = new CancellationTokenSource();
        await writer.StartAsync(stop.Token);
        var submissions = (readings.Length + size - 1) / size;
        var lost = 0;
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, submitters).Select(k => Task.Run(async () =>
        {
            for (var s = k; s < submissions; s += submitters)
            {
                var chunk = new ArraySegment<TelemetryReading>(readings, s * size, Math.Min(size, readings.Length - (s * size)));
                var stored = await writer.StoreAsync(chunk, CancellationToken.None);
                if (stored.Any(x => !x))
                {
                    Interlocked.Increment(ref lost);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        await writer.StopAsync(CancellationToken.None);
        if (lost > 0)
        {
            throw new InvalidOperationException($"{lost} submissions had readings reported as duplicates");
        }
        return (elapsed, readings.Length);
    }

    /// <summary>A database to write into, fresh for every measurement.</summary>
    private abstract class Target : IAsyncDisposable
    {
        public abstract DatabaseProvider Provider { get; }
        public string ConnectionString { get; protected set; } = "";

        /// <summary>Empties the database, then writes the warm-up readings the way the next method will need
        /// (numbered devices, partitions) — through a throwaway host, so the measured host starts cold like a node.</summary>
        public abstract Task ResetAsync(TelemetryReading[] warmUp);

        public BenchHost Host(IDictionary<string, string?>? settings = null) => BenchHost.Create(Provider, ConnectionString, settings: settings);

        public abstract Task<long> CountAsync();

        public abstract ValueTask DisposeAsync();

        protected static async Task WarmUpAsync(BenchHost host, TelemetryReading[] warmUp)
        {
            var store = host.Get<IReadingStore>();
            await store.WriteAsync(warmUp, new bool[warmUp.Length], CancellationToken.None);
            await store.DisposeAsync();
        }
    }

    private sealed class SqliteTarget : Target
    {
        private SqliteCopies copies = null!;

        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        public static async Task<SqliteTarget> CreateAsync() =>
            new SqliteTarget { copies = await SqliteCopies.CreateAsync() };

        public override async Task ResetAsync(TelemetryReading[] warmUp)
        {
            ConnectionString = copies.Next();
            await using var host = Host();
            await WarmUpAsync(host, warmUp);
            SqliteConnection.ClearAllPools();
        }

        public override async Task<long> CountAsync()
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new SqliteCommand("SELECT count(*) FROM readings", connection);
            var count = (long)(await command.ExecuteScalarAsync())!;
            SqliteConnection.ClearAllPools();
            return count;
        }

        public override ValueTask DisposeAsync()
        {
            copies.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresTarget : Target
    {
        private const string Database = "helio_bench_ingest";
        private string server = "";

        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        public static async Task<PostgresTarget> CreateAsync(string server, TelemetryReading[] readings)
        {
            var target = new PostgresTarget { server = server };
            target.ConnectionString = await BenchHost.CreatePostgresDatabaseAsync(server, Database, CancellationToken.None);
            await using var host = target.Host();
            await host.MigrateAsync(CancellationToken.None);
            // The months the readings fall in exist before the baseline's COPY (the store creates them on demand).
            await using var connection = new NpgsqlConnection(target.ConnectionString);
            await connection.OpenAsync();
            var months = readings.Select(r => ReadingPartitions.MonthOf(r.AtMs)).Distinct().ToList();
            await host.Get<ReadingPartitions>().CreateAsync(connection, months, CancellationToken.None);
            return target;
        }

        public override async Task ResetAsync(TelemetryReading[] warmUp)
        {
            await using (var connection = new NpgsqlConnection(ConnectionString))
            {
                await connection.OpenAsync();
                await using var truncate = new NpgsqlCommand("TRUNCATE readings, rollup_dirty; TRUNCATE telemetry_devices RESTART IDENTITY; CHECKPOINT", connection);
                await truncate.ExecuteNonQueryAsync();
            }
            await using var host = Host();
            await WarmUpAsync(host, warmUp);
        }

        public override async Task<long> CountAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM readings", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public override async ValueTask DisposeAsync() => await BenchHost.DropPostgresDatabaseAsync(server, Database);
    }
}
