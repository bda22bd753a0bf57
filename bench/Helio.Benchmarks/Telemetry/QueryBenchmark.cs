using System.Diagnostics;
using System.Globalization;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Benchmarks.Telemetry;

/// <summary>
/// <c>telemetry-queries</c>: server-side latency of the real query services (PlantOverviews, PowerCurves, EnergyBars)
/// over a generated fleet (<see cref="QueryFleet"/>), each call in its own DI scope as a request has, timed by a
/// Stopwatch around the service call. Plants, dates and periods are drawn at random without repeats, so the closed-
/// period cache never answers: every figure is a computation from the database. Kinds are interleaved call by call.
/// The generated database is kept (under the temp directory, or as a PostgreSQL database) for the next run with
/// the same parameters; <c>--fresh</c> generates it again.
/// </summary>
internal static class QueryBenchmark
{
    public static async Task RunAsync(Options options, TextWriter output)
    {
        var plants = options.Int("plants", 1000);
        var days = options.Int("days", 364);
        var queries = options.Int("queries", 200);
        var portfolioRuns = options.Int("portfolio-runs", 50);
        var warmUp = options.Int("warm-up", 10);
        var now = DateTimeOffset.Parse(options.Get("now") ?? "2026-11-30T11:00:00Z", CultureInfo.InvariantCulture);
        var providers = (options.Get("databases") ?? "sqlite,postgres").Split(',');
        output.WriteLine($"telemetry-queries: {plants:N0} plants x {days + 1} local days up to now = {now:yyyy-MM-dd HH:mm} UTC (a fixed clock); {queries} queries per kind after {warmUp} warm-up; portfolio {portfolioRuns} runs; measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");

        var cacheRoot = Path.Combine(Path.GetTempPath(), "helio-bench-fleet");
        Directory.CreateDirectory(cacheRoot);
        var key = $"{plants}-{days}-{now.ToUnixTimeSeconds()}";

        foreach (var provider in providers)
        {
            DatabaseProvider kind;
            string connectionString;
            var marker = Path.Combine(cacheRoot, $"{provider}-{key}.txt");
            if (options.Flag("fresh") && File.Exists(marker))
            {
                File.Delete(marker);
            }
            if (provider == "sqlite")
            {
                kind = DatabaseProvider.Sqlite;
                var directory = Path.Combine(cacheRoot, $"sqlite-{key}");
                if (!File.Exists(marker) && Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
                connectionString = BenchHost.SqliteConnectionString(directory);
            }
            else if (BenchHost.PostgresServer() is { } server)
            {
                kind = DatabaseProvider.Postgres;
                var name = $"helio_bench_fleet_{plants}_{days}";
                connectionString = File.Exists(marker)
                    ? new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString
                    : await BenchHost.CreatePostgresDatabaseAsync(server, name, CancellationToken.None);
            }
            else
            {
                output.WriteLine($"PostgreSQL skipped: set {BenchHost.PostgresVariable}.");
                continue;
            }

            var clock = new FixedClock(now);
            string description;
            if (!File.Exists(marker))
            {
                output.WriteLine($"{kind}: generating the fleet");
                var generation = Stopwatch.StartNew();
                await using (var host = BenchHost.Create(kind, connectionString, clock))
                {
                    await host.MigrateAsync(CancellationToken.None);
                    description = await QueryFleet.GenerateAsync(host, plants, now.ToUnixTimeMilliseconds(), days, output, CancellationToken.None);
                }
                SqliteConnection.ClearAllPools();
                description += $"; generated in {generation.Elapsed.TotalMinutes:F1} min";
                if (kind == DatabaseProvider.Sqlite)
                {
                    description += $"; SQLite file {new FileInfo(BenchHost.SqlitePath(Path.Combine(cacheRoot, $"sqlite-{key}"))).Length / 1e9:F1} GB";
                }
                await File.WriteAllTextAsync(marker, description);
            }
            description = await File.ReadAllTextAsync(marker);
            output.WriteLine($"{kind}: {description}");

            if (options.Flag("explain"))
            {
                await QueryPlans.RunAsync(kind, connectionString, output);
                SqliteConnection.ClearAllPools();
                continue;
            }
            if (options.Flag("show-sql"))
            {
                // The SQL each service sends, once per kind, for EXPLAIN (docs/BENCHMARKS.md).
                await using var logged = BenchHost.Create(kind, connectionString, clock, new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information" });
                await MeasureAsync(logged, now, days, 1, 1, 0, output);
                continue;
            }
            await using (var host = BenchHost.Create(kind, connectionString, clock))
            {
                await MeasureAsync(host, now, days, queries, portfolioRuns, warmUp, output);
            }
            SqliteConnection.ClearAllPools();
        }
    }

    private sealed record Kind(string Name, Func<IServiceProvider, Random, Task> Call, List<double> Ms);

    private static async Task MeasureAsync(BenchHost host, DateTimeOffset now, int days, int queries, int portfolioRuns, int warmUp, TextWriter output)
    {
        Guid owner;
        List<(Guid Id, TimeZoneInfo Zone)> plants;
        await using (var scope = host.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var rows = await db.Plants.AsNoTracking().Select(p => new { p.Id, p.OwnerId, p.TimeZone }).ToListAsync();
            owner = rows[0].OwnerId;
            plants = rows.Select(p => (p.Id, TimeZoneInfo.FindSystemTimeZoneById(p.TimeZone))).ToList();
        }
        var ct = CancellationToken.None;

        // Distinct (plant, period) per call so the closed-period cache never answers.
        var used = new HashSet<(Guid, string, DateOnly)>();
        (Guid Plant, DateOnly Date) Draw(Random random, string kind, Func<DateOnly, DateOnly> normalise)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt > 100_000)
                {
                    throw new InvalidOperationException($"Too few distinct {kind} periods for the calls asked: fewer queries or more plants.");
                }
                var (plant, zone) = plants[random.Next(plants.Count)];
                var today = LocalPeriods.LocalDate(now.ToUnixTimeMilliseconds(), zone);
                var date = normalise(today.AddDays(-random.Next(days + 1)));
                if (used.Add((plant, kind, date)))
                {
                    return (plant, date);
                }
            }
        }

        Kind[] kinds =
        [
            new("PlantOverviews.GetAsync (one plant)", async (services, random) =>
            {
                var (plant, _) = plants[random.Next(plants.Count)];
                _ = await services.GetRequiredService<PlantOverviews>().GetAsync(owner, plant, ct) ?? throw new InvalidOperationException("no overview");
            }, []),
            new("PowerCurves.GetAsync (a random day of the year)", async (services, random) =>
            {
                var (plant, date) = Draw(random, "power", d => d);
                var curve = await services.GetRequiredService<PowerCurves>().GetAsync(owner, plant, date, ct) ?? throw new InvalidOperationException("no curve");
                if (curve.Points.Count == 0)
                {
                    throw new InvalidOperationException("empty curve");
                }
            }, []),
            new("EnergyBars.GetAsync month (days of a random month)", async (services, random) =>
            {
                var (plant, date) = Draw(random, "month", d => new DateOnly(d.Year, d.Month, 1));
                _ = await services.GetRequiredService<EnergyBars>().GetAsync(owner, plant, "month", date, ct) ?? throw new InvalidOperationException("no bars");
            }, []),
            new("EnergyBars.GetAsync year (months of this or last year)", async (services, random) =>
            {
                var (plant, date) = Draw(random, "year", d => new DateOnly(d.Year, 1, 1));
                _ = await services.GetRequiredService<EnergyBars>().GetAsync(owner, plant, "year", date, ct) ?? throw new InvalidOperationException("no bars");
            }, []),
        ];
        var portfolio = new Kind("PlantOverviews.ListAsync (portfolio: all 1,000 plants)", async (services, _) =>
        {
            var list = await services.GetRequiredService<PlantOverviews>().ListAsync(owner, ct);
            if (list.Count != plants.Count)
            {
                throw new InvalidOperationException($"portfolio of {list.Count}");
            }
        }, []);

        var random = new Random(42);
        async Task<double> TimeAsync(Kind kind)
        {
            await using var scope = host.Scope();
            var watch = Stopwatch.StartNew();
            await kind.Call(scope.ServiceProvider, random);
            return watch.Elapsed.TotalMilliseconds;
        }

        for (var i = 0; i < warmUp; i++)
        {
            foreach (var kind in kinds)
            {
                await TimeAsync(kind);
            }
        }
        output.WriteLine($"  portfolio warm-up: {await TimeAsync(portfolio):F0} ms");

        output.WriteLine($"  warm-up done; measuring ({DateTimeOffset.UtcNow:HH:mm:ss})");
        var portfolioEvery = Math.Max(1, queries / Math.Max(1, portfolioRuns));
        // A kind slower than 0.6 s a call would take the whole budget: each stops after 2 minutes (and 20 calls).
        var kindBudget = TimeSpan.FromMinutes(2);
        // A slow portfolio would take the whole budget: it stops after 3 runs once it has used 2 minutes.
        var portfolioBudget = TimeSpan.FromMinutes(2);
        for (var i = 0; i < queries; i++)
        {
            foreach (var kind in kinds)
            {
                if (kind.Ms.Count < 20 || kind.Ms.Sum() < kindBudget.TotalMilliseconds)
                {
                    kind.Ms.Add(await TimeAsync(kind));
                }
            }
            if (i % portfolioEvery == 0 && portfolio.Ms.Count < portfolioRuns && (portfolio.Ms.Count < 3 || portfolio.Ms.Sum() < portfolioBudget.TotalMilliseconds))
            {
                portfolio.Ms.Add(await TimeAsync(portfolio));
            }
        }

        output.WriteLine();
        output.WriteLine($"{host.Provider}: server-side latency per call (ms)");
        output.WriteLine();
        output.WriteLine("| query | calls | p50 | p95 | p99 | max | mean |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var kind in kinds.Append(portfolio))
        {
            var sorted = kind.Ms.Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {kind.Name} | {sorted.Count} | {Percentile(sorted, 0.50):F2} | {Percentile(sorted, 0.95):F2} | {Percentile(sorted, 0.99):F2} | {sorted[^1]:F2} | {sorted.Average():F2} |"));
        }
        output.WriteLine();
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>A clock stopped at the fleet's "now", so that today, this month and the latest readings are the generated ones.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
