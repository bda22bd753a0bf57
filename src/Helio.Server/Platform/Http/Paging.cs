namespace Helio.Server.Platform.Http;

/// <summary>
/// Newest-first lists keyed by version 7 UUIDs (ordered as created): a page has at most "limit" items, and "cursor" is
/// the previous page's <c>next</c>, the id of its last item.
/// </summary>
public static class Paging
{
    /// <summary>Reads "limit" (default <paramref name="defaultLimit"/>, 1 to <paramref name="maxLimit"/>) and "cursor", adding field errors as found.</summary>
    public static (int Take, Guid? Before) Page(this Validation validation, int? limit, string? cursor, int defaultLimit, int maxLimit)
    {
        var take = limit ?? defaultLimit;
        if (take < 1 || take > maxLimit)
        {
            validation.Add("limit", $"Must be between 1 and {maxLimit}.");
        }
        Guid? before = null;
        if (cursor is not null)
        {
            if (Guid.TryParse(cursor, out var parsed))
            {
                before = parsed;
            }
            else
            {
                validation.Add("cursor", "The next value of a previous page.");
            }
        }
        return (take, before);
    }
}
