using System.Reflection;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>Reads the whole database by column: where a value is stored, whatever table and column holds it.</summary>
public static class StoredValues
{
    /// <summary>"table.Property" of every column holding the value <paramref name="valueFor"/> gives for its type (null: skip the type).</summary>
    public static async Task<List<string>> ColumnsHoldingAsync(HelioDbContext db, Func<Type, object?> valueFor)
    {
        var found = new List<string>();
        var count = typeof(StoredValues).GetMethod(nameof(CountAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var entity in db.Model.GetEntityTypes().Where(e => !e.IsOwned() && e.ClrType != typeof(Dictionary<string, object>)))
        {
            foreach (var property in entity.GetProperties())
            {
                if (valueFor(Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) is not { } value)
                {
                    continue;
                }
                var task = (Task<int>)count.MakeGenericMethod(entity.ClrType, property.ClrType).Invoke(null, [db, property.Name, value])!;
                if (await task > 0)
                {
                    found.Add($"{entity.GetTableName()}.{property.Name}");
                }
            }
        }
        return found;
    }

    private static Task<int> CountAsync<TEntity, TValue>(HelioDbContext db, string property, object value) where TEntity : class
    {
        var typed = (TValue)value;
        return db.Set<TEntity>().CountAsync(e => EF.Property<TValue>(e, property)!.Equals(typed), TestContext.Current.CancellationToken);
    }
}
