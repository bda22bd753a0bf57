using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Platform.Data;

/// <summary>Brings the schema up to date: at start-up (Database:MigrateOnStart) and from the migrate command.</summary>
internal sealed class DatabaseMigrator(IServiceScopeFactory scopes, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers run while the single writer commits; the mode is stored in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Database schema is current ({Applied} migrations applied now)", pending.Count);
    }
}
