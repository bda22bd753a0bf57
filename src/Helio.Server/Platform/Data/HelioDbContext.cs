using Helio.Server.Features.Accounts;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Platform.Data;

/// <summary>
/// The one database. Each provider has a subclass only so that its migrations live apart
/// (Migrations/Sqlite, Migrations/Postgres); the model is the same.
/// </summary>
public abstract class HelioDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<User> Users => Set<User>();
    public DbSet<UserRole> UserRoles => Set<UserRole>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<UserDataKey> UserDataKeys => Set<UserDataKey>();
    public DbSet<KekRetirement> KekRetirements => Set<KekRetirement>();
    public DbSet<Features.Privacy.Policy.PolicyVersion> PolicyVersions => Set<Features.Privacy.Policy.PolicyVersion>();
    public DbSet<Features.Privacy.Policy.PolicyNoticeDismissal> PolicyNoticeDismissals => Set<Features.Privacy.Policy.PolicyNoticeDismissal>();
    public DbSet<Features.Privacy.Consent.ConsentRecord> ConsentRecords => Set<Features.Privacy.Consent.ConsentRecord>();
    public DbSet<Features.Usage.PageViewCount> PageViewCounts => Set<Features.Usage.PageViewCount>();
    public DbSet<Mailing> Mailings => Set<Mailing>();
    public DbSet<Plant> Plants => Set<Plant>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<Features.Telemetry.TelemetryDevice> TelemetryDevices => Set<Features.Telemetry.TelemetryDevice>();
    public DbSet<Features.Telemetry.StoredReading> Readings => Set<Features.Telemetry.StoredReading>();
    public DbSet<Features.Telemetry.DeviceRollup> DeviceRollups => Set<Features.Telemetry.DeviceRollup>();
    public DbSet<Features.Telemetry.PlantRollup> PlantRollups => Set<Features.Telemetry.PlantRollup>();
    public DbSet<Features.Telemetry.RollupDirty> RollupDirty => Set<Features.Telemetry.RollupDirty>();
    public DbSet<Features.Ingest.IngestKey> IngestKeys => Set<Features.Ingest.IngestKey>();
    public DbSet<OutboxMail> OutboxMails => Set<OutboxMail>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Jobs.JobLease> JobLeases => Set<Jobs.JobLease>();
    public DbSet<Features.Gateway.LoggerPresence> LoggerPresence => Set<Features.Gateway.LoggerPresence>();
    public DbSet<Features.Alarms.Alarm> Alarms => Set<Features.Alarms.Alarm>();
    public DbSet<Features.Alarms.AlarmEvent> AlarmEvents => Set<Features.Alarms.AlarmEvent>();
    public DbSet<Features.Alarms.AlarmRule> AlarmRules => Set<Features.Alarms.AlarmRule>();
    public DbSet<Features.Alarms.AlarmReview> AlarmReviews => Set<Features.Alarms.AlarmReview>();
    public DbSet<Features.Alarms.PlantAlarmSettings> PlantAlarmSettings => Set<Features.Alarms.PlantAlarmSettings>();
    public DbSet<Features.Notifications.NotificationSettings> NotificationSettings => Set<Features.Notifications.NotificationSettings>();
    public DbSet<Features.Notifications.PlantNotificationSettings> PlantNotificationSettings => Set<Features.Notifications.PlantNotificationSettings>();
    public DbSet<Features.Notifications.Notification> Notifications => Set<Features.Notifications.Notification>();
    public DbSet<Features.Notifications.Webhook> Webhooks => Set<Features.Notifications.Webhook>();
    public DbSet<Features.Notifications.PushSubscription> PushSubscriptions => Set<Features.Notifications.PushSubscription>();
    public DbSet<Features.Notifications.Delivery> Deliveries => Set<Features.Notifications.Delivery>();
    public DbSet<Features.Organisations.Organisation> Organisations => Set<Features.Organisations.Organisation>();
    public DbSet<Features.Organisations.OrganisationMember> OrganisationMembers => Set<Features.Organisations.OrganisationMember>();
    public DbSet<Features.Organisations.OrganisationInvitation> OrganisationInvitations => Set<Features.Organisations.OrganisationInvitation>();
    public DbSet<Features.Sharing.PlantShare> PlantShares => Set<Features.Sharing.PlantShare>();
    public DbSet<Features.Sharing.ShareInvitation> ShareInvitations => Set<Features.Sharing.ShareInvitation>();
    public DbSet<Features.Access.AccessRequest> AccessRequests => Set<Features.Access.AccessRequest>();
    public DbSet<Features.Access.ContactUnmasking> ContactUnmaskings => Set<Features.Access.ContactUnmasking>();
    public DbSet<Features.ApiAccounts.ApiAccount> ApiAccounts => Set<Features.ApiAccounts.ApiAccount>();
    public DbSet<Features.ApiAccounts.ApiAccountPlant> ApiAccountPlants => Set<Features.ApiAccounts.ApiAccountPlant>();
    public DbSet<Features.Audit.AuditEntry> AuditEntries => Set<Features.Audit.AuditEntry>();
    public DbSet<Features.Audit.AuditPseudonym> AuditPseudonyms => Set<Features.Audit.AuditPseudonym>();
    public DbSet<Features.Privacy.Requests.PrivacyRequest> PrivacyRequests => Set<Features.Privacy.Requests.PrivacyRequest>();
    public DbSet<Features.Privacy.Requests.PrivacyRequestEvent> PrivacyRequestEvents => Set<Features.Privacy.Requests.PrivacyRequestEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // OpenIddict's entities (API accounts' clients and tokens) first, so that Features/ApiAccounts can rename their tables.
        modelBuilder.UseOpenIddict<Guid>();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HelioDbContext).Assembly);
    }
}

public sealed class SqliteHelioDbContext(DbContextOptions<SqliteHelioDbContext> options) : HelioDbContext(options)
{
    // Timestamps are UTC instants everywhere; SQLite cannot order DateTimeOffset, so it stores UTC ticks.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToTicksConverter>();
}

public sealed class PostgresHelioDbContext(DbContextOptions<PostgresHelioDbContext> options) : HelioDbContext(options);

/// <summary>Stores an instant as UTC ticks so that SQLite can order and compare it.</summary>
internal sealed class DateTimeOffsetToTicksConverter()
    : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
