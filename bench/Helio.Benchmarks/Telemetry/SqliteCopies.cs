using Helio.Server.Platform.Data;
using Microsoft.Data.Sqlite;

namespace Helio.Benchmarks.Telemetry;

/// <summary>
/// A SQLite database migrated (and seeded) once, then copied fresh for every measurement, so each starts from the
/// same file without paying for migrations in the measured time.
/// </summary>
internal sealed class SqliteCopies : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("helio-bench-").FullName;
    private string template = "";
    private int copies;

    public static async Task<SqliteCopies> CreateAsync(Func<BenchHost, Task>? seed = null)
    {
        var result = new SqliteCopies();
        var directory = Path.Combine(result.root, "template");
        await using (var host = BenchHost.Create(DatabaseProvider.Sqlite, BenchHost.SqliteConnectionString(directory)))
        {
            await host.MigrateAsync(CancellationToken.None);
            if (seed is not null)
            {
                await seed(host);
            }
        }
        SqliteConnection.ClearAllPools();
        result.template = BenchHost.SqlitePath(directory);
        return result;
    }

    /// <summary>Deletes the previous copy and returns the connection string of a fresh one.</summary>
    public string Next()
    {
        SqliteConnection.ClearAllPools();
        if (copies > 0)
        {
            Directory.Delete(Path.Combine(root, "run" + copies), recursive: true);
        }
        var directory = Path.Combine(root, "run" + ++copies);
        Directory.CreateDirectory(directory);
        File.Copy(template, BenchHost.SqlitePath(directory));
        return BenchHost.SqliteConnectionString(directory);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
