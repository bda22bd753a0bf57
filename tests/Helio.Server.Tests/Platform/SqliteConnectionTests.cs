using System.Text.RegularExpressions;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Platform;

/// <summary>The open SQLite connections requests borrow (<see cref="SqliteConnections"/>).</summary>
public sealed class SqliteConnectionTests(SqliteApp app) : IClassFixture<SqliteApp>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string file = Path.Combine(Directory.CreateTempSubdirectory("helio-connections-").FullName, "pool.db");

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();

    [Fact]
    public void Returned_IsReused_AndStaysOpen()
    {
        using var connections = new SqliteConnections(ConnectionString);

        var first = connections.Rent();
        connections.Return(first);
        var second = connections.Rent();

        Assert.Same(first, second);
        Assert.Equal(System.Data.ConnectionState.Open, second.State);
    }

    [Fact]
    public void BeyondTheIdleCap_AndWhenClosed_ConnectionsAreDisposed()
    {
        using var connections = new SqliteConnections(ConnectionString);
        var rented = Enumerable.Range(0, SqliteConnections.MaxIdle + 1).Select(_ => connections.Rent()).ToList();
        rented.ForEach(connections.Return);

        Assert.Single(rented, c => c.State == System.Data.ConnectionState.Closed);

        var closed = connections.Rent();
        closed.Close();
        connections.Return(closed);
        Assert.DoesNotContain(Enumerable.Range(0, SqliteConnections.MaxIdle).Select(_ => connections.Rent()), c => ReferenceEquals(c, closed));
    }

    [Fact]
    public void Dispose_ClosesIdleConnections()
    {
        var connections = new SqliteConnections(ConnectionString);
        var connection = connections.Rent();
        connections.Return(connection);

        connections.Dispose();

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task RequestContexts_BorrowAnOpenConnection_WithEfSqlFunctions()
    {
        System.Data.Common.DbConnection connection;
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            connection = db.Database.GetDbConnection();
            // Both translate to functions EF Core registers itself (REGEXP, ef_compare): they fail with
            // "no such function" on a connection that lacks them.
            await db.Plants.CountAsync(p => Regex.IsMatch(p.Name, "^R"), Ct);
            await db.Plants.CountAsync(p => p.FeedInTariff > 0.1m, Ct);
        }

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public async Task AnUncommittedTransaction_EndsWithItsRequest_NotWithTheConnection()
    {
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            await db.Database.BeginTransactionAsync(Ct);
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE abandoned_probe (x)", Ct);
        }

        // A write transaction left open would make the next writer wait out the busy timeout and fail.
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE committed_probe (x)", Ct);
            await db.Database.ExecuteSqlRawAsync("DROP TABLE committed_probe", Ct);
            await transaction.CommitAsync(Ct);
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE name = 'abandoned_probe'").SingleAsync(Ct));
        }
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
}
