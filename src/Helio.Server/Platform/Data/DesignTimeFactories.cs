using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Helio.Server.Platform.Data;

// Used only by `dotnet ef migrations add`: one migrations folder per provider.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHelioDbContext>
{
    public SqliteHelioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHelioDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHelioDbContext>
{
    public PostgresDesignTimeFactory()
    {
    }

    public PostgresHelioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresHelioDbContext>().UseNpgsql("Host=localhost;Database=helio_design").Options);
}
