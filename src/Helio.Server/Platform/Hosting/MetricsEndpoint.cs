using System.Net;
using OpenTelemetry.Metrics;

namespace Helio.Server.Platform.Hosting;

/// <summary>Settings under "Metrics".</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// Networks (CIDR, e.g. "10.0.0.0/8") besides loopback that may scrape /metrics. The figures hold no personal
    /// data, but how many loggers a node serves is nobody else's business, so strangers get a 404.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];
}

/// <summary>
/// OpenTelemetry metrics — Helio's own meters ("Helio.*"), ASP.NET Core's and the runtime's — served in the
/// Prometheus text format at /metrics to loopback and <see cref="MetricsOptions.AllowedNetworks"/>, never to a
/// request a proxy relayed (it may come from anywhere).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static WebApplicationBuilder AddMetricsEndpoint(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.AllowedNetworks.All(n => IPNetwork.TryParse(n, out _)), "Metrics:AllowedNetworks must be CIDR networks, e.g. 10.0.0.0/8.")
            .ValidateOnStart();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Helio.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddPrometheusExporter());
        return builder;
    }

    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        var allowed = (app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.AllowedNetworks)
            .Select(n => IPNetwork.Parse(n)).ToArray();
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            // A request relayed by a proxy on this host comes from loopback too: one that says it was relayed is not
            // the local operator's, so it is refused whatever its address.
            // (Behind Tls:TerminatedByProxy the forwarded-headers middleware has moved X-Forwarded-For to X-Original-For.)
            var headers = context.Request.Headers;
            var relayed = headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("X-Original-For") || headers.ContainsKey("Forwarded") || headers.ContainsKey("Via");
            if (relayed || !MayScrape(context.Connection.RemoteIpAddress, allowed))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        }), optionsName: null);
        return app;
    }

    private static bool MayScrape(IPAddress? address, IPNetwork[] allowed)
    {
        if (address is null)
        {
            // A Unix socket (behind a local proxy) has no remote address: the proxy may be forwarding anyone.
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return IPAddress.IsLoopback(address) || allowed.Any(n => n.Contains(address));
    }
}
