using Microsoft.AspNetCore.Components;

namespace Helio.Server.Features.Web;

/// <summary>
/// A part of a page that loads its own data (the plant page's dashboard and ingest keys, the notification settings'
/// parts, a device's operations). Blazor initialises sibling components together: it renders at every await that does
/// not complete at once. Sections that took their use cases from the request's scope would therefore query its one
/// DbContext at the same time, which PostgreSQL refuses ("A second operation was started on this context"; SQLite,
/// answering synchronously, hides it). So a section resolves its use cases from a scope of its own.
/// </summary>
public abstract class Section : OwningComponentBase
{
    protected T Use<T>() where T : notnull => ScopedServices.GetRequiredService<T>();
}
