using System.Globalization;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Audit;

/// <summary>Keyset paging over the trail, newest first: the cursor is the Seq of the last entry on the previous page.</summary>
internal readonly record struct AuditPaging(long? Before, int Take)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static AuditPaging Parse(string? cursor, int? limit, Validation validation)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            validation.Add("limit", $"Must be between 1 and {MaxLimit}.");
        }
        long? before = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0)
            {
                before = seq;
            }
            else
            {
                validation.Add("cursor", "The next value of a previous page.");
            }
        }
        return new AuditPaging(before, take);
    }

    /// <summary>The page's rows and the next cursor, from a query that fetched <see cref="Take"/> + 1 rows.</summary>
    public (IReadOnlyList<T> Rows, string? Next) Cut<T>(IReadOnlyList<T> fetched, Func<T, long> seq) =>
        fetched.Count > Take
            ? (fetched.Take(Take).ToList(), seq(fetched[Take - 1]).ToString(CultureInfo.InvariantCulture))
            : (fetched, null);
}
