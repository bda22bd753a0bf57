using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Helio.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Helio.Server.Tests.Privacy.Export;

/// <summary>
/// A real HTTPS server on a free loopback port with a throwaway self-signed certificate, standing in for the third
/// party a transfer goes to: keeps every body it receives and answers 200.
/// </summary>
public sealed class HttpsReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<byte[]> bodies = new();

    private HttpsReceiver(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<byte[]> Bodies => [.. bodies];

    /// <summary>A certificate for 127.0.0.1, valid for a day; its thumbprint is what the app under test is told to trust.</summary>
    public static X509Certificate2 NewCertificate()
    {
        using var made = LoopbackCertificates.Create(days: 1);
        // Through PKCS#12 so that the private key is one Kestrel (and the platform's TLS) can use.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    public static async Task<HttpsReceiver> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var receiver = new HttpsReceiver(app);
        app.Run(async context =>
        {
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
            receiver.bodies.Enqueue(copy.ToArray());
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
