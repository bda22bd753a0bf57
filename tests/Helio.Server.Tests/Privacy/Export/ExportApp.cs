using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using Helio.Server.Features.Privacy.Export;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Helio.Server.Tests.Privacy.Export;

/// <summary>
/// <see cref="PrivacyClockApp"/> (EU, with transfer bases for GB, US and CN; a clock the tests move) that may push
/// transfers to a private address (Privacy:Export:AllowPrivateTargets, as an operator would set it for a local
/// recipient) and trusts the throwaway certificate of <see cref="Receiver"/>, nothing else: the transfer client keeps
/// its vetted handler (no redirects, the address checked at connect), only its certificate check learns one thumbprint.
/// </summary>
public abstract class ExportApp(Provider provider) : PrivacyClockApp(provider)
{
    public X509Certificate2 Certificate { get; } = HttpsReceiver.NewCertificate();

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        base.ConfigureMore(builder);
        ExportTargetApp.Enable(builder);
        builder.UseSetting("Privacy:Export:AllowPrivateTargets", "true");
        // Small batches, so that a few readings take several.
        builder.UseSetting("Privacy:Export:BatchSize", "10");
        builder.ConfigureTestServices(services => services.Configure<HttpClientFactoryOptions>(PushTransfer.ClientName, o =>
            o.HttpMessageHandlerBuilderActions.Add(handler =>
                ((SocketsHttpHandler)handler.PrimaryHandler).SslOptions.RemoteCertificateValidationCallback =
                    (_, presented, _, _) => presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString())));
    }
}

/// <summary><see cref="PrivacyClockApp"/> with the export worker on and its default: no private transfer targets.</summary>
public abstract class ExportTargetApp(Provider provider) : PrivacyClockApp(provider)
{
    public static void Enable(IWebHostBuilder builder)
    {
        builder.UseSetting("Privacy:Export:Enabled", "true");
        builder.UseSetting("Privacy:Export:PollInterval", "00:00:00.200");
    }

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        base.ConfigureMore(builder);
        Enable(builder);
    }
}

public sealed class SqliteExportTargetApp() : ExportTargetApp(Provider.Sqlite);

public sealed class PostgresExportTargetApp() : ExportTargetApp(Provider.Postgres);

public sealed class SqliteExportApp() : ExportApp(Provider.Sqlite);

public sealed class PostgresExportApp() : ExportApp(Provider.Postgres);
