using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Platform.Data;

/// <summary>
/// SQLite connections that stay open between requests. EF Core closes a context's own connection each time
/// the context goes back to its pool, and each close and open of a Microsoft.Data.Sqlite connection
/// unregisters and registers EF's SQL functions again: about a tenth of a small request's CPU. Instead,
/// each request borrows an open connection from here (<see cref="SqliteConnectionLease"/>) and hands it to
/// its context as one the context does not own, which EF leaves open.
/// </summary>
internal sealed class SqliteConnections(string connectionString) : IDisposable
{
    /// <summary>
    /// Idle connections kept; more are opened under a burst and closed when returned. Each holds its own
    /// page cache, so the cap bounds memory; 64 is well above the concurrency two cores sustain.
    /// </summary>
    public const int MaxIdle = 64;

    private readonly ConcurrentBag<SqliteConnection> idle = [];
    private int idleCount;
    private bool disposed;

    public SqliteConnection Rent()
    {
        if (idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref idleCount);
            return connection;
        }
        return Open();
    }

    public void Return(SqliteConnection connection)
    {
        var reusable = connection.State == System.Data.ConnectionState.Open && !Volatile.Read(ref disposed);
        if (reusable && Interlocked.Increment(ref idleCount) <= MaxIdle)
        {
            idle.Add(connection);
            return;
        }
        if (reusable)
        {
            Interlocked.Decrement(ref idleCount);
        }
        connection.Dispose();
    }

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        while (idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // EF Core registers its SQL functions (decimal arithmetic, regexp) on a connection given in a
        // context's options; a context that merely borrows one later would not. The registrations stay
        // with the connection, so a throwaway context does it once here.
        using var registrar = new SqliteHelioDbContext(new DbContextOptionsBuilder<SqliteHelioDbContext>().UseSqlite(connection).Options);
        registrar.Database.GetDbConnection();
        return connection;
    }
}

/// <summary>The connection one request (one DI scope) uses; it goes back to the pool when the scope ends.</summary>
internal sealed class SqliteConnectionLease(SqliteConnections connections) : IDisposable
{
    public SqliteConnection Connection { get; } = connections.Rent();

    public void Dispose() => connections.Return(Connection);
}
