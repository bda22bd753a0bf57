using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Helio.Server.Tests.Privacy;

/// <summary>Helio with its privacy contact configured, as an operator would (Privacy:Contact).</summary>
public abstract class PrivacyApp(Provider provider) : HelioApp(provider)
{
    public const string ContactName = "Helio Privacy Desk";
    public const string ContactEmail = "privacy@helio.example";
    public const string Authority = "Bayerisches Landesamt für Datenschutzaufsicht";

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        builder.UseSetting("Privacy:Contact:Name", ContactName);
        builder.UseSetting("Privacy:Contact:Email", ContactEmail);
        builder.UseSetting("Privacy:Contact:PostalAddress", "Sonnenstraße 1, 80331 München");
        builder.UseSetting("Privacy:Contact:SupervisoryAuthority", Authority);
        builder.UseSetting("Privacy:Contact:SupervisoryAuthorityUrl", "https://www.lda.bayern.de");
    }
}

public sealed class SqlitePrivacyApp() : PrivacyApp(Provider.Sqlite);

public sealed class PostgresPrivacyApp() : PrivacyApp(Provider.Postgres);
