using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Tests.Security;

/// <summary>
/// docs/privacy/data-inventory.md lists every stored column with its purpose, basis, retention and fate
/// on erasure. A column the model gains without an entry there fails this test.
/// </summary>
public sealed class DataInventoryTests
{
    [Fact]
    public void EveryColumn_IsListedInTheDataInventory()
    {
        var inventory = File.ReadAllText(FindInventory());
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        var missing = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            foreach (var property in entity.GetProperties())
            {
                var column = $"`{table}.{property.GetColumnName()}`";
                if (!inventory.Contains(column, StringComparison.Ordinal))
                {
                    missing.Add(column);
                }
            }
        }
        Assert.True(missing.Count == 0, "Not in docs/privacy/data-inventory.md: " + string.Join(", ", missing));
    }

    private static string FindInventory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "privacy", "data-inventory.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("docs/privacy/data-inventory.md not found above the test directory.");
    }
}
