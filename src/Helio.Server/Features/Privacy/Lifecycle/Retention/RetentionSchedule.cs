using System.Globalization;
using Helio.Server.Features.Telemetry;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>One line of the schedule as configured: what goes, when, and which job deletes it.</summary>
public sealed record RetentionLineDto(string Rule, string What, string After, string EnforcedBy);

/// <summary>The schedule in effect on this deployment, for the admin page and API (docs/privacy/retention.md explains why).</summary>
internal sealed class RetentionSchedule(IOptions<RetentionOptions> retention, IOptions<TelemetryOptions> telemetry)
{
    private const string Daily = "privacy retention job";

    /// <summary>False while the operator pauses deletion (Privacy:Retention:Enabled), e.g. under a legal hold.</summary>
    public bool Enabled => retention.Value.Enabled;

    public IReadOnlyList<RetentionLineDto> Lines
    {
        get
        {
            var o = retention.Value;
            return
            [
                new("unconfirmed-accounts", "Accounts whose e-mail address was never confirmed (erased)", Days(o.UnconfirmedAccountDays, "after registering"), Daily),
                new("children-without-consent", "Children's accounts no parent or guardian confirmed (erased)", Days(o.GuardianConsentDays, "after registering"), Daily),
                new("cancelled-accounts", "Cancelled accounts (erased)", Days(o.CancelledAccountGraceDays, "after the cancellation (grace period)"), Daily),
                new("export-files", $"Export files under the data directory's {o.ExportDirectory}/", Days(o.ExportFileDays, "after they were written"), Daily),
                new("mail-outbox", "Sent and failed mails in the outbox, and .eml files in mail-outbox/", Days(o.MailOutboxDays, "after sending or giving up"), Daily),
                new("ended-sessions", "Expired and ended sessions", Days(o.EndedSessionDays, "after they ended"), Daily),
                new("closed-invitations", "Accepted, withdrawn and expired invitations", Days(o.ClosedInvitationDays, "after they closed"), Daily),
                new("audit-entries", "Audit entries (a signed checkpoint keeps the rest verifiable)", string.Create(CultureInfo.InvariantCulture, $"{o.AuditYears} years"), Daily),
                new("raw-telemetry", "Raw readings (rollups stay for the life of the plant)", Days(telemetry.Value.RawRetentionDays, ""), "telemetry maintenance, hourly (Telemetry:RawRetentionDays)"),
            ];
        }
    }

    private static string Days(int days, string after) =>
        string.Create(CultureInfo.InvariantCulture, $"{days} days {after}").TrimEnd();
}
