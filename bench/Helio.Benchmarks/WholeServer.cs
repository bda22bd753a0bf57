using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Helio.Benchmarks;

/// <summary>
/// The whole server as Program.cs builds it (<see cref="HelioServer"/>: every module, its pipeline and background
/// workers), without the demo, on a loopback port of its own and a database of the benchmark's choosing.
/// </summary>
internal static class WholeServer
{
    public static WebApplication Build(string dataDirectory, string? postgres, IDictionary<string, string?>? settings = null)
    {
        // Named as the server, so that its static web assets' manifest (copied beside the benchmark) is found.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory, ApplicationName = typeof(HelioServer).Assembly.GetName().Name,
        });
        var all = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Helio:DataDirectory"] = dataDirectory,
            ["Helio:PublicBaseUrl"] = "http://localhost",
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["ConnectionStrings:Helio"] = postgres,
            ["Gateway:Port"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(all);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddSimpleConsole();
        HelioServer.AddFeatures(builder, demo: false);
        var app = builder.Build();
        HelioServer.UseFeatures(app);
        return app;
    }
}
