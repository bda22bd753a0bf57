using System.Diagnostics;
using System.Globalization;
using Helio.Benchmarks.Telemetry;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helio.Benchmarks.Alarms;

/// <summary>
/// <c>alarms-evaluate</c>: does alarm evaluation keep pace with ingest? In the same run, rounds interleaving three
/// methods on a fresh copy of the same database (a migrated schema with an owner, plants, registered inverters and two
/// threshold rules a plant): (a) the real TelemetryWriter alone, 8 submitters × 500 readings (telemetry-ingest's
/// "ingest" method); (b) the same with the real ReadingAlarms evaluator reading the committed-readings stream, with its
/// queue sampled every 100 ms, the time it needs after the last commit, and each injected fault's raise latency
/// (StoreAsync returned → alarm row committed); (c) the evaluator alone, on the same readings batched as the writer
/// batches them, in memory. Faults are injected into a small share of readings (FaultPlan), so alarms are raised,
/// cleared and reopened in the database; after every evaluator round the active fault alarms must be exactly the
/// devices whose newest reading has a fault.
/// </summary>
internal static class EvaluationBenchmark
{
    /// <summary>The writer's default batch size (Telemetry:BatchSize), for (c)'s batches.</summary>
    private const int BatchSize = 2000;

    private const string WriterAlone = "(a) writer alone: 8 submitters x 500-reading submissions";
    private const string WriterAndEvaluator = "(b) writer + evaluator (ReadingAlarms on CommittedReadings)";
    private const string EvaluatorAlone = "(c) evaluator alone: ReadingAlarms.EvaluateAsync on 2,000-reading batches in memory";

    private sealed record Round(double ReadingsPerSecond, Check Check, Lag? Lag = null);

    /// <summary>(b)'s lag: batches waiting in the stream, sampled every 100 ms; time from the last commit to all evaluated.</summary>
    private sealed record Lag(long MaxBehind, int MaxWaiting, double MeanWaiting, int WaitingAtEnd, int Samples, TimeSpan Drain, TimeSpan Prime, double EndToEndPerSecond, List<double> RaiseLatenciesMs, int Unmatched);

    /// <summary>What the database holds after a round.</summary>
    private sealed record Check(long ActiveFault, long OtherActive, long FaultRaises, long FaultClears);

    public static async Task RunAsync(Options options, TextWriter output)
    {
        var devices = options.Int("devices", 2000);
        var instants = options.Int("instants", 60);
        var repeats = options.Int("repeats", 3);
        var perPlant = options.Int("inverters-per-plant", 2);
        var permille = options.Int("fault-permille", 10);
        // Offered load in readings/s (0: as fast as the writer takes them). The Telemetry issue's ingest target,
        // 1,000,000 values/s into SQLite, is 29,412 readings/s of 34 values.
        var rate = options.Int("rate", 0);
        var start = new DateTimeOffset(2026, 6, 15, 4, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        output.WriteLine($"alarms-evaluate: {devices:N0} inverters ({perPlant} a plant, 2 threshold rules a plant) x {instants} five-minute instants (+1 warm-up instant), faults toggled at {permille / 10.0:0.#} % of readings, {repeats} rounds, {(rate > 0 ? $"offered at {rate:N0} readings/s" : "offered as fast as the writer takes them")}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
        var fleet = new FleetReadings(FleetReadings.GermanSites(devices), withLoggers: true);
        var all = fleet.Generate(start, instants + 1);
        var plan = FaultPlan.Inject(all, devices, permille);
        var warmUp = all[..devices];
        var readings = all[devices..];
        var valuesPerReading = FleetReadings.Filled.Length;
        output.WriteLine($"{readings.Length:N0} readings measured; faults appear with {plan.AppearCount:N0} of them and go with {plan.ClearCount:N0}; {plan.OpenAtEnd:N0} devices end with a fault (= active fault alarms expected)");

        var targets = new List<Target> { await SqliteTarget.CreateAsync(fleet, perPlant) };
        if (BenchHost.PostgresServer() is { } server)
        {
            targets.Add(await PostgresTarget.CreateAsync(server, fleet, perPlant, readings));
        }
        else
        {
            output.WriteLine($"PostgreSQL skipped: set {BenchHost.PostgresVariable} to a connection string of a server that may create databases.");
        }

        foreach (var target in targets)
        {
            await using var _ = target;
            var results = new Dictionary<string, List<Round>> { [WriterAlone] = [], [WriterAndEvaluator] = [], [EvaluatorAlone] = [] };
            // Round 0 is a short untimed pass: every method's code is compiled before the rounds that count.
            for (var round = 0; round <= repeats; round++)
            {
                var input = round == 0 ? readings[..(2 * devices)] : readings;
                var inputPlan = round == 0 ? FaultPlanOf(warmUp, input, devices) : plan;
                foreach (var name in results.Keys)
                {
                    await target.ResetAsync(warmUp);
                    var result = name switch
                    {
                        WriterAlone => await WriterAloneAsync(target, input, devices, rate),
                        WriterAndEvaluator => await WriterAndEvaluatorAsync(target, warmUp, input, inputPlan, rate),
                        _ => await EvaluatorAloneAsync(target, warmUp, input),
                    };
                    var expectedActive = name == WriterAlone ? 0 : inputPlan.OpenAtEnd;
                    if (result.Check.ActiveFault != expectedActive || result.Check.OtherActive != 0)
                    {
                        throw new InvalidOperationException($"{target.Provider} {name}: {result.Check.ActiveFault:N0} active fault alarms (expected {expectedActive:N0}), {result.Check.OtherActive:N0} other active alarms (expected 0)");
                    }
                    if (round == 0)
                    {
                        continue;
                    }
                    results[name].Add(result);
                    var lag = result.Lag is { } l ? $"  lag: max {l.MaxBehind:N0} readings / {l.MaxWaiting} batches waiting, {l.WaitingAtEnd} at end, drained {l.Drain.TotalMilliseconds:N0} ms after the last commit" : "";
                    output.WriteLine($"  {target.Provider} round {round}: {result.ReadingsPerSecond,9:N0} readings/s  {name}; active fault alarms {result.Check.ActiveFault:N0} ✔{lag}");
                }
            }
            Report(output, target.Provider, results, plan, valuesPerReading, repeats);
        }
    }

    private static void Report(TextWriter output, DatabaseProvider provider, Dictionary<string, List<Round>> results, FaultPlan plan, int valuesPerReading, int repeats)
    {
        var alone = Median(results[WriterAlone].Select(r => r.ReadingsPerSecond));
        output.WriteLine();
        output.WriteLine($"{provider}: medians of {repeats} rounds (values/s: {valuesPerReading} metric values a reading)");
        output.WriteLine();
        output.WriteLine("| method | readings/s | values/s | % of (a) | the runs (readings/s) |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var (name, rounds) in results)
        {
            var rates = rounds.Select(r => r.ReadingsPerSecond).ToList();
            var median = Median(rates);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {median:N0} | {median * valuesPerReading:N0} | {(name == WriterAlone ? "—" : (median / alone).ToString("P0", CultureInfo.InvariantCulture))} | {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} |"));
        }

        var lags = results[WriterAndEvaluator].Select(r => r.Lag!).ToList();
        var latencies = lags.SelectMany(l => l.RaiseLatenciesMs).Order().ToList();
        output.WriteLine();
        output.WriteLine($"(b) lag, per round (the stream holds at most {CommittedReadings.Capacity} batches; a full stream would hold the writer back):");
        output.WriteLine();
        output.WriteLine("| round | readings stored, not yet evaluated: max | batches waiting: max | mean | at the last commit | 100 ms samples | last commit → all evaluated | end-to-end readings/s | evaluator start (first reading of each device) |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < lags.Count; i++)
        {
            var l = lags[i];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i + 1} | {l.MaxBehind:N0} | {l.MaxWaiting} | {l.MeanWaiting:F2} | {l.WaitingAtEnd} | {l.Samples} | {l.Drain.TotalMilliseconds:N0} ms | {l.EndToEndPerSecond:N0} | {l.Prime.TotalMilliseconds:N0} ms |"));
        }
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(b) raise latency, StoreAsync returned for the reading with the new fault → its alarm raised/reopened and committed, all rounds: n = {latencies.Count:N0} (unmatched {lags.Sum(l => l.Unmatched)}), median {Percentile(latencies, 0.5):N1} ms, p99 {Percentile(latencies, 0.99):N1} ms, max {(latencies.Count > 0 ? latencies[^1] : double.NaN):N1} ms; default poll interval (Gateway:PollInterval) 60,000 ms"));
        output.WriteLine();
        output.WriteLine("Correctness, every round (fault events counted in alarm_events; expected from the injected faults in reading order):");
        output.WriteLine();
        output.WriteLine("| method | active fault alarms (expected) | fault raises + reopens (in order: expected) | fault clears (in order: expected) |");
        output.WriteLine("|---|---|---|---|");
        foreach (var name in new[] { WriterAndEvaluator, EvaluatorAlone })
        {
            var checks = results[name].Select(r => r.Check).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name[..3]} | {string.Join(", ", checks.Select(c => c.ActiveFault))} ({plan.OpenAtEnd}) | {string.Join(", ", checks.Select(c => c.FaultRaises))} ({plan.AppearCount}) | {string.Join(", ", checks.Select(c => c.FaultClears))} ({plan.ClearCount}) |"));
        }
        output.WriteLine();
    }

    /// <summary>The plan for a short input (round 0), counted on readings already injected.</summary>
    private static FaultPlan FaultPlanOf(TelemetryReading[] warmUp, TelemetryReading[] input, int devices) =>
        FaultPlan.Count([.. warmUp, .. input], devices);

    private static async Task<Round> WriterAloneAsync(Target target, TelemetryReading[] readings, int devices, int rate)
    {
        await using var host = target.Host();
        var writer = host.Get<TelemetryWriter>();
        var submissions = new Submissions(readings, devices, rate);
        await writer.StartAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        await SubmitAsync(writer, submissions, null);
        var elapsed = clock.Elapsed;
        await writer.StopAsync(CancellationToken.None);
        return new Round(readings.Length / elapsed.TotalSeconds, await CheckAsync(host));
    }

    private static async Task<Round> WriterAndEvaluatorAsync(Target target, TelemetryReading[] warmUp, TelemetryReading[] readings, FaultPlan plan, int rate)
    {
        var devices = warmUp.Length;
        var raises = new RaiseClock();
        await using var host = target.Host(services => AddEvaluator(services, raises));
        var writer = host.Get<TelemetryWriter>();
        var alarms = host.Get<ReadingAlarms>();
        var committed = host.Get<CommittedReadings>();

        // A started node's evaluator first learns each device's plant and rules and compares it with its open
        // alarms, once; that is start-up work, measured apart, not the steady pace.
        var prime = Stopwatch.StartNew();
        await alarms.EvaluateAsync(warmUp, CancellationToken.None);
        var primed = prime.Elapsed;

        await alarms.StartAsync(CancellationToken.None);
        await writer.StartAsync(CancellationToken.None);
        using var stopSampling = new CancellationTokenSource();
        var samples = new List<int>();
        long storedSoFar = 0, maxBehind = 0;
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, stopSampling.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                samples.Add(committed.Reader.Count);
                maxBehind = Math.Max(maxBehind, Interlocked.Read(ref storedSoFar) - alarms.Evaluated);
            }
        });

        var returned = new long[readings.Length];
        var submissions = new Submissions(readings, devices, rate);
        var clock = Stopwatch.StartNew();
        await SubmitAsync(writer, submissions, (index, at) =>
        {
            Interlocked.Increment(ref storedSoFar);
            if (plan.Appears[index])
            {
                returned[index] = at;
            }
        });
        var elapsed = clock.Elapsed;
        var waitingAtEnd = committed.Reader.Count;
        var deadline = elapsed + TimeSpan.FromMinutes(5);
        while (alarms.Evaluated < readings.Length)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"The evaluator evaluated {alarms.Evaluated:N0} of {readings.Length:N0} readings in 5 minutes after the last commit");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System);
        }
        var total = clock.Elapsed;
        await stopSampling.CancelAsync();
        await sampler;
        await writer.StopAsync(CancellationToken.None);
        await alarms.StopAsync(CancellationToken.None);

        var latencies = new List<double>();
        var unmatched = 0;
        for (var i = 0; i < readings.Length; i++)
        {
            if (!plan.Appears[i])
            {
                continue;
            }
            if (raises.Committed.TryGetValue((readings[i].InverterSerial, readings[i].AtMs), out var at))
            {
                latencies.Add(Stopwatch.GetElapsedTime(returned[i], at).TotalMilliseconds);
            }
            else
            {
                // A raise the clock did not see: should not happen with each device's readings in order.
                unmatched++;
            }
        }
        var lag = new Lag(maxBehind, samples.Count == 0 ? 0 : samples.Max(), samples.Count == 0 ? 0 : samples.Average(), waitingAtEnd, samples.Count,
            total - elapsed, primed, readings.Length / total.TotalSeconds, latencies, unmatched);
        return new Round(readings.Length / elapsed.TotalSeconds, await CheckAsync(host), lag);
    }

    private static async Task<Round> EvaluatorAloneAsync(Target target, TelemetryReading[] warmUp, TelemetryReading[] readings)
    {
        await using var host = target.Host(services => AddEvaluator(services, null));
        var alarms = host.Get<ReadingAlarms>();
        await alarms.EvaluateAsync(warmUp, CancellationToken.None);
        var batches = readings.Chunk(BatchSize).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await alarms.EvaluateAsync(batch, CancellationToken.None);
        }
        var elapsed = clock.Elapsed;
        return new Round(readings.Length / elapsed.TotalSeconds, await CheckAsync(host));
    }

    /// <summary>What AlarmsModule registers for the evaluator (not its minute checks, which need the gateway).</summary>
    private static void AddEvaluator(IServiceCollection services, RaiseClock? raises)
    {
        services.AddOptions<AlarmsOptions>();
        services.AddSingleton<CommittedReadings>();
        services.AddSingleton<AlarmEventsSignal>();
        services.AddScoped<AlarmBook>();
        services.AddSingleton<AlarmRuleChanges>();
        services.AddSingleton<ReadingAlarms>();
        if (raises is not null)
        {
            services.ConfigureDbContext<SqliteHelioDbContext>(o => o.AddInterceptors(raises));
            services.ConfigureDbContext<PostgresHelioDbContext>(o => o.AddInterceptors(raises));
        }
    }

    /// <summary>
    /// The real writer with 8 concurrent submitters of 500 readings each, each awaiting its submission's commit before
    /// the next (as ingest requests do). Unlike telemetry-ingest (submission s to submitter s mod 8), each submitter
    /// owns an eighth of the devices (d mod 8) and sends their readings in time order, as an ingest client or a
    /// logger does: otherwise two submissions of the same devices race into the writer's queue, a device's newer
    /// reading can be judged first, and the evaluator rightly skips the older one as late — less work than a real
    /// fleet gives it. <paramref name="onStored"/> is told each reading's index and the timestamp at which its
    /// StoreAsync returned.
    /// </summary>
    private static async Task SubmitAsync(TelemetryWriter writer, Submissions submissions, Action<int, long>? onStored)
    {
        var lost = 0;
        var started = Stopwatch.GetTimestamp();
        var tasks = submissions.PerSubmitter.Select(mine => Task.Run(async () =>
        {
            var n = 0;
            foreach (var (chunk, indices) in mine)
            {
                // Paced: the submitter's n-th submission is due at n x (its share of the offered rate).
                if (submissions.Interval is { } interval && interval * n++ - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, TimeProvider.System);
                }
                var stored = await writer.StoreAsync(chunk, CancellationToken.None);
                var at = Stopwatch.GetTimestamp();
                if (stored.Any(x => !x))
                {
                    Interlocked.Increment(ref lost);
                }
                if (onStored is not null)
                {
                    foreach (var index in indices)
                    {
                        onStored(index, at);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        if (lost > 0)
        {
            throw new InvalidOperationException($"{lost} submissions had readings reported as duplicates");
        }
    }

    /// <summary>Readings split among 8 submitters by device (d mod 8), in time order, in submissions of 500.</summary>
    private sealed class Submissions
    {
        public const int Submitters = 8;
        public const int Size = 500;

        public Submissions(TelemetryReading[] readings, int devices, int rate)
        {
            Interval = rate > 0 ? TimeSpan.FromSeconds((double)Size * Submitters / rate) : null;
            PerSubmitter = Enumerable.Range(0, Submitters).Select(k =>
                Enumerable.Range(0, readings.Length).Where(i => i % devices % Submitters == k).Chunk(Size)
                    .Select(indices => (indices.Select(i => readings[i]).ToArray(), indices)).ToList()).ToList();
        }

        public List<List<(TelemetryReading[] Chunk, int[] Indices)>> PerSubmitter { get; }

        /// <summary>Paced: the time between one submitter's submissions (null: back to back).</summary>
        public TimeSpan? Interval { get; }
    }

    private static async Task<Check> CheckAsync(BenchHost host)
    {
        await using var scope = host.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var activeFault = await db.Alarms.LongCountAsync(a => a.Source == AlarmSource.Fault && (a.State == AlarmState.Raised || a.State == AlarmState.Acknowledged));
        var otherActive = await db.Alarms.LongCountAsync(a => a.Source != AlarmSource.Fault && (a.State == AlarmState.Raised || a.State == AlarmState.Acknowledged));
        var faultEvents = from e in db.AlarmEvents join a in db.Alarms on e.AlarmId equals a.Id where a.Source == AlarmSource.Fault select e;
        var raises = await faultEvents.LongCountAsync(e => e.Kind == AlarmEventKind.Raised || e.Kind == AlarmEventKind.Reopened);
        var clears = await faultEvents.LongCountAsync(e => e.Kind == AlarmEventKind.Cleared);
        return new Check(activeFault, otherActive, raises, clears);
    }

    private static double Median(IEnumerable<double> values) => Percentile(values.Order().ToList(), 0.5);

    private static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary>An owner, <c>devices / perPlant</c> plants with their inverters registered, two threshold rules a plant
    /// that the generated readings never trip (checked on every reading all the same).</summary>
    private static async Task SeedAsync(BenchHost host, FleetReadings fleet, int perPlant)
    {
        await using var scope = host.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var owner = await FleetSetup.CreateOwnerAsync(db, CancellationToken.None);
        var sites = FleetReadings.GermanSites(fleet.Devices);
        var plants = Enumerable.Range(0, (fleet.Devices + perPlant - 1) / perPlant)
            .Select(p => (Id: Guid.NewGuid(), Name: $"Plant {p + 1}", Site: sites[p * perPlant], Inverters: fleet.Serials.Skip(p * perPlant).Take(perPlant).ToArray()))
            .ToList();
        await FleetSetup.CreatePlantsAsync(db, owner, plants, CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();
        foreach (var plant in plants)
        {
            db.AlarmRules.Add(new AlarmRule { Id = Guid.NewGuid(), PlantId = plant.Id, Name = "Radiator too hot", Metric = "radiatorTemperatureC", Comparison = RuleComparison.Above, Threshold = 90, DurationSeconds = 600, Severity = AlarmSeverity.Major, CreatedAt = now, UpdatedAt = now });
            db.AlarmRules.Add(new AlarmRule { Id = Guid.NewGuid(), PlantId = plant.Id, Name = "Grid frequency low", Metric = "gridFrequencyHz", Comparison = RuleComparison.Below, Threshold = 47.5, DurationSeconds = 0, Severity = AlarmSeverity.Warning, CreatedAt = now, UpdatedAt = now });
        }
        await db.SaveChangesAsync();
    }

    /// <summary>A database with the fleet, fresh for every measurement.</summary>
    private abstract class Target : IAsyncDisposable
    {
        public abstract DatabaseProvider Provider { get; }
        public string ConnectionString { get; protected set; } = "";

        /// <summary>Back to the fleet with no readings and no alarms, then the warm-up readings written (numbered
        /// devices, partitions) through a throwaway host, so the measured host starts cold like a node.</summary>
        public abstract Task ResetAsync(TelemetryReading[] warmUp);

        public BenchHost Host(Action<IServiceCollection>? services = null) => BenchHost.Create(Provider, ConnectionString, services: services);

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

        public static async Task<SqliteTarget> CreateAsync(FleetReadings fleet, int perPlant) =>
            new SqliteTarget { copies = await SqliteCopies.CreateAsync(host => SeedAsync(host, fleet, perPlant)) };

        public override async Task ResetAsync(TelemetryReading[] warmUp)
        {
            ConnectionString = copies.Next();
            await using var host = Host();
            await WarmUpAsync(host, warmUp);
            SqliteConnection.ClearAllPools();
        }

        public override ValueTask DisposeAsync()
        {
            copies.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresTarget : Target
    {
        private const string Database = "helio_bench_alarms";
        private string server = "";

        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        public static async Task<PostgresTarget> CreateAsync(string server, FleetReadings fleet, int perPlant, TelemetryReading[] readings)
        {
            var target = new PostgresTarget { server = server };
            target.ConnectionString = await BenchHost.CreatePostgresDatabaseAsync(server, Database, CancellationToken.None);
            await using var host = target.Host();
            await host.MigrateAsync(CancellationToken.None);
            await SeedAsync(host, fleet, perPlant);
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
                await using var truncate = new NpgsqlCommand("TRUNCATE readings, rollup_dirty; TRUNCATE alarm_events, alarms CASCADE; TRUNCATE telemetry_devices RESTART IDENTITY; CHECKPOINT", connection);
                await truncate.ExecuteNonQueryAsync();
            }
            await using var host = Host();
            await WarmUpAsync(host, warmUp);
        }

        public override async ValueTask DisposeAsync() => await BenchHost.DropPostgresDatabaseAsync(server, Database);
    }
}
