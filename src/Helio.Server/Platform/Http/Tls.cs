using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.HttpOverrides;

namespace Helio.Server.Platform.Http;

/// <summary>
/// HTTPS only, off loopback: with a certificate Kestrel serves TLS itself; behind a proxy the proxy does.
/// In Production, listening on a non-loopback address over plain HTTP without either is refused at start.
/// </summary>
public static class Tls
{
    public static WebApplicationBuilder AddTls(this WebApplicationBuilder builder)
    {
        var tls = TlsOptions.From(builder.Configuration);
        if (tls.HasCertificate)
        {
            var certificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
            builder.Services.AddHsts(o =>
            {
                o.MaxAge = TimeSpan.FromDays(365);
                o.IncludeSubDomains = true;
            });
        }
        if (tls.TerminatedByProxy)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                foreach (var proxy in tls.KnownProxies)
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            });
        }
        if (builder.Environment.IsProduction() && !tls.TerminatedByProxy)
        {
            var plain = PlainHttpNonLoopbackUrls(builder.Configuration).ToList();
            if (plain.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Refusing to serve plain HTTP on {string.Join(", ", plain)} in Production. Configure Tls:CertificatePath and Tls:KeyPath and an https:// URL, " +
                    "or set Tls:TerminatedByProxy=true behind a TLS-terminating reverse proxy, or listen on loopback only.");
            }
        }
        return builder;
    }

    public static WebApplication UseTls(this WebApplication app)
    {
        var tls = TlsOptions.From(app.Configuration);
        if (tls.TerminatedByProxy)
        {
            app.UseForwardedHeaders();
        }
        if (tls.ServesHttps)
        {
            app.UseHsts();
            // Pages redirect to HTTPS; the API refuses plain HTTP rather than redirect (a redirect would already have leaked the token).
            app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), branch => branch.UseHttpsRedirection());
            app.UseWhen(c => c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !c.Request.IsHttps, branch => branch.Run(async context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new { title = "HTTPS required.", status = 403 }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
            }));
        }
        return app;
    }

    internal static IEnumerable<string> PlainHttpNonLoopbackUrls(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        foreach (var url in urls)
        {
            if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var host = url["http://".Length..].Split('/')[0];
            host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                yield return url;
            }
        }
    }
}
