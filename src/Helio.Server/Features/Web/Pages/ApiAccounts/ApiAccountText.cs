using System.Globalization;

namespace Helio.Server.Features.Web.Pages.ApiAccounts;

/// <summary>How the API account pages write times: UTC, to the minute (the log's times to the second).</summary>
internal static class ApiAccountText
{
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
