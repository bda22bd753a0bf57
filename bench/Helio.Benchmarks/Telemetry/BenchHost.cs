using Helio.Server.Features.Plants;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helio.Benchmarks.Telemetry;

/// <summary>
/// The server's own database and telemetry registrations (DatabaseModule.AddDatabase, TelemetryModule.AddTelemetry,
/// the platform's clock and job leases, PlantAccess), built without HTTP, on a database of the benchmark's choosing.
/// Nothing is started: a benchmark starts the parts it measures (the writer) or calls them (stores, rollups, queries).
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private BenchHost(WebApplication app, DatabaseProvider provider, string connectionString)
    {
        this.app = app;
        Provider = provider;
        ConnectionString = connectionString;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>The SQLite file in <paramref name="dataDirectory"/>, with the connection string production builds for it.</summary>
    public static string SqliteConnectionString(string dataDirectory) =>
        DatabaseModule.SqliteConnectionString(new HelioOptions { DataDirectory = dataDirectory });

    public static string SqlitePath(string dataDirectory) => new HelioOptions { DataDirectory = dataDirectory }.DataPath("helio.db");

    /// <param name="services">More registrations of the benchmark's choosing (the alarm evaluator's parts), made
    /// after the server's own.</param>
    public static BenchHost Create(DatabaseProvider provider, string connectionString, TimeProvider? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        // Slim: configuration and logging as the server has them, Kestrel registered but never started.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        var config = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Helio"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            // EF logs a failed query of the migrations history on every fresh database; that is expected.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddSimpleConsole();
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddSingleton<JobLeases>();
        builder.Services.AddHttpContextAccessor(); // PlantAccess asks whether the caller is an API account (never, here)
        builder.Services.AddScoped<PlantAccess>();
        builder.AddDatabase();
        builder.AddTelemetry();
        services?.Invoke(builder.Services);
        return new BenchHost(builder.Build(), provider, connectionString);
    }

    /// <summary>Applies the real migrations (DatabaseMigrator: WAL on SQLite, then EF's MigrateAsync).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) =>
        Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    /// <summary>A fresh, empty PostgreSQL database on the server of <paramref name="server"/>; returns its connection string.</summary>
    public static async Task<string> CreatePostgresDatabaseAsync(string server, string name, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync(cancellationToken);
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public static async Task DropPostgresDatabaseAsync(string server, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    public const string PostgresVariable = "HELIO_BENCH_POSTGRES";

    public static string? PostgresServer() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server ? server : null;
}
