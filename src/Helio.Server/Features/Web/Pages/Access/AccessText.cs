using System.Globalization;
using Helio.Server.Features.Access;

namespace Helio.Server.Features.Web.Pages.Access;

/// <summary>Words for access requests. Times are shown in UTC: requester and owner may live in different zones.</summary>
internal static class AccessText
{
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"2 d 3 h", "5 h 12 min", "4 min"; rounded down, so it never promises more time than is left.</summary>
    public static string Left(TimeSpan left)
    {
        if (left <= TimeSpan.Zero)
        {
            return "ended";
        }
        if (left.TotalDays >= 1)
        {
            return $"{(int)left.TotalDays} d {left.Hours} h";
        }
        return left.TotalHours >= 1 ? $"{(int)left.TotalHours} h {left.Minutes} min" : $"{Math.Max(1, left.Minutes)} min";
    }

    public static string Hours(int hours) => hours % 24 == 0 && hours >= 24
        ? (hours == 24 ? "1 day" : $"{hours / 24} days")
        : hours == 1 ? "1 hour" : $"{hours} hours";

    public static string Scope(AccessScope scope) => scope == AccessScope.Operate ? "view and operate" : "view";

    public static string Key(AccessRequestStatus state) => state.ToString().ToLowerInvariant();

    public static string Name(AccessRequestStatus state) => state switch
    {
        AccessRequestStatus.Pending => "Waiting for a decision",
        AccessRequestStatus.Approved => "Approved, active",
        AccessRequestStatus.Expired => "Ended (expired)",
        AccessRequestStatus.Denied => "Denied",
        AccessRequestStatus.Revoked => "Revoked",
        _ => state.ToString(),
    };

    public static string Role(RequesterDto requester) => requester.Role == RequesterRole.Support
        ? "Helio support"
        : $"after-sales, {requester.OrganisationName ?? "an organisation"}";

    public static string Field(ContactField field) => field switch
    {
        ContactField.Name => "name",
        ContactField.Email => "e-mail",
        _ => "phone",
    };
}
