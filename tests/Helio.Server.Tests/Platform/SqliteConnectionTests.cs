using System.Net.Http.Json;
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
        var owner = await app.RegisterOwnerAsync();
        var created = await owner.Client.PostAsJsonAsync("/api/v1/plants", new
        {
            name = "Roof east", latitude = 48.1, longitude = 11.5, timeZone = "Europe/Berlin", capacityKwp = 9.8, feedInTariff = 0.082, currency = "EUR",
        }, Ct);
        var plantId = (await created.JsonAsync()).GetProperty("id").GetGuid();
        System.Data.Common.DbConnection connection;
        int byPattern, aboveTariff, belowTariff;
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            connection = db.Database.GetDbConnection();
            // These translate to functions EF Core registers itself (REGEXP, ef_compare for decimals): on a
            // connection that lacks them they fail with "no such function".
            var plant = db.Plants.Where(p => p.Id == plantId);
            byPattern = await plant.CountAsync(p => Regex.IsMatch(p.Name, "^Roof e"), Ct);
            aboveTariff = await plant.CountAsync(p => p.FeedInTariff > 0.1m, Ct);
            belowTariff = await plant.CountAsync(p => p.FeedInTariff < 0.1m, Ct);
        }

        Assert.Equal((1, 0, 1), (byPattern, aboveTariff, belowTariff));
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
