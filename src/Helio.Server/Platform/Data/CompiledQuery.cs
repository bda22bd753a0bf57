using System.Collections.Concurrent;

namespace Helio.Server.Platform.Data;

/// <summary>
/// EF Core compiled queries for hot paths. A compiled query binds to the provider of the first context
/// that runs it, so one is kept per concrete context type (SQLite, PostgreSQL): a process normally has
/// one, the test suite has both.
/// </summary>
internal sealed class CompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : Delegate
{
    private readonly ConcurrentDictionary<Type, TQuery> byContext = new();

    public TQuery For(HelioDbContext db) => byContext.GetOrAdd(db.GetType(), _ => compile());
}
