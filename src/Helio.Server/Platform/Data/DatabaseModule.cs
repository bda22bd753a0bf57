using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Platform.Data;

public static class DatabaseModule
{
    /// <summary>Pooled contexts kept per node; beyond it, contexts are made and disposed per request.</summary>
    private const int PoolSize = 128;

    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        var helio = builder.Configuration.GetSection(HelioOptions.Section).Get<HelioOptions>() ?? new();

        if (options.Provider == DatabaseProvider.Postgres)
        {
            var connectionString = builder.Configuration.GetConnectionString("Helio")
                ?? throw new InvalidOperationException("Database:Provider is postgres but ConnectionStrings:Helio is not set.");
            builder.Services.AddDbContextPool<PostgresHelioDbContext>(o => o.UseNpgsql(connectionString), PoolSize);
            builder.Services.AddSingleton(new DatabaseTarget(DatabaseProvider.Postgres, connectionString));
            builder.Services.AddScoped<HelioDbContext>(sp => sp.GetRequiredService<PostgresHelioDbContext>());
        }
        else
        {
            var connectionString = builder.Configuration.GetConnectionString("Helio") ?? SqliteConnectionString(helio);
            _ = SqliteEngine.EnsureConfigured();
            builder.Services.AddDbContextPool<SqliteHelioDbContext>(o => o.UseSqlite(connectionString), PoolSize);
            builder.Services.AddSingleton(_ => new SqliteConnections(connectionString));
            builder.Services.AddSingleton(new DatabaseTarget(DatabaseProvider.Sqlite, connectionString));
            builder.Services.AddScoped<SqliteConnectionLease>();
            builder.Services.AddScoped<HelioDbContext>(sp =>
            {
                // The lease first: the scope disposes in reverse order, so the context has gone back to its
                // pool (ending any transaction) before the connection goes back to its own.
                var connection = sp.GetRequiredService<SqliteConnectionLease>().Connection;
                var db = sp.GetRequiredService<SqliteHelioDbContext>();
                db.Database.SetDbConnection(connection, contextOwnsConnection: false);
                return db;
            });
        }
        builder.Services.AddSingleton<DatabaseMigrator>();
        return builder;
    }

    internal static string SqliteConnectionString(HelioOptions helio)
    {
        Directory.CreateDirectory(helio.DataPath());
        return new SqliteConnectionStringBuilder
        {
            DataSource = helio.DataPath("helio.db"),
            // Writers wait for each other (SQLITE_BUSY is retried) for up to this many seconds.
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }
}

/// <summary>The database this node uses, for the few parts that open connections of their own (the telemetry writer).</summary>
internal sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString);
