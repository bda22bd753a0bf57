using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helio.Server.Tests.Infrastructure;

public enum Provider { Sqlite, Postgres }

/// <summary>
/// Helio in-process on a real database (a fresh SQLite file, or a fresh PostgreSQL database) with a real
/// SMTP server catching its mail. One per test class; tests isolate themselves by registering their own users.
/// PostgreSQL runs when HELIO_TEST_POSTGRES holds a connection string (CI sets it); without it those
/// tests skip, and with it a missing server fails them.
/// </summary>
public abstract class HelioApp(Provider provider) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string PostgresVariable = "HELIO_TEST_POSTGRES";

    private string? postgresDatabase;

    public Provider Provider { get; } = provider;
    public MailCatcher Mail { get; } = new();
    public LogSink Logs { get; } = new();
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("helio-test-").FullName;
    public string? ConnectionString { get; private set; }
    public bool Available { get; private set; } = true;

    public virtual async ValueTask InitializeAsync()
    {
        if (Provider == Provider.Postgres)
        {
            var server = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(server))
            {
                Available = false;
                return;
            }
            postgresDatabase = "helio_test_" + Guid.NewGuid().ToString("N");
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using (var create = new NpgsqlCommand($"CREATE DATABASE {postgresDatabase}", admin))
            {
                await create.ExecuteNonQueryAsync();
            }
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = postgresDatabase }.ConnectionString;
        }
        // Start the server now, so that migrations run once per class and failures surface here.
        _ = Server;
    }

    /// <summary>Skips the calling test when its database is not configured on this machine.</summary>
    public void RequireAvailable() =>
        Assert.SkipUnless(Available, $"PostgreSQL tests need {PostgresVariable} (a connection string to a server that may create databases).");

    public HttpClient Anonymous()
    {
        RequireAvailable();
        return CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://localhost") });
    }

    public AsyncServiceScope Scope()
    {
        RequireAvailable();
        return Services.CreateAsyncScope();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Helio:DataDirectory", DataDirectory);
        builder.UseSetting("Database:Provider", Provider.ToString());
        if (ConnectionString is not null)
        {
            builder.UseSetting("ConnectionStrings:Helio", ConnectionString);
        }
        builder.UseSetting("Mail:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Mail:Smtp:Port", Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Mail:Smtp:Security", "None");
        builder.UseSetting("Mail:PollInterval", "00:00:00.200");
        builder.UseSetting("RateLimits:CredentialsPerMinute", "100000");
        builder.UseSetting("Helio:PublicBaseUrl", "http://localhost");
        // Every test app listens for loggers on a port of its own.
        builder.UseSetting("Gateway:Port", "0");
        // Webhook and push tests deliver to receivers on loopback over plain HTTP.
        builder.UseSetting("Notifications:AllowPrivateTargets", "true");
        // Verified exports and transfers stay with the privacy officers, as the request tests expect; the export tests turn it on.
        builder.UseSetting("Privacy:Export:Enabled", "false");
        builder.UseSetting("Notifications:RetryBase", "00:00:00.200");
        builder.UseSetting("Notifications:DeliveryPollInterval", "00:00:00.200");
        builder.UseSetting("Notifications:MaxAttempts", "3");
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });
        ConfigureMore(builder);
    }

    protected virtual void ConfigureMore(IWebHostBuilder builder)
    {
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Mail.DisposeAsync();
        if (postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {postgresDatabase} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteApp() : HelioApp(Provider.Sqlite);

public sealed class PostgresApp() : HelioApp(Provider.Postgres);
