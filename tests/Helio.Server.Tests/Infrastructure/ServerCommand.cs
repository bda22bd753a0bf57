using System.Diagnostics;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>Runs an admin command as an operator does: the server binary in a process of its own.</summary>
public static class ServerCommand
{
    /// <param name="settings">Configuration arguments (<c>--Key=value</c>), e.g. the data directory.</param>
    public static async Task<(int Exit, string Output)> RunAsync(string[] command, params string[] settings)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Helio.Server.dll");
        var start = new ProcessStartInfo("dotnet", [server, .. command, .. settings])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The same database as <paramref name="app"/> (its SQLite file, or its PostgreSQL database).</summary>
    public static Task<(int Exit, string Output)> RunAgainstAsync(HelioApp app, params string[] command) =>
        app.ConnectionString is { } postgres
            ? RunAsync(command, $"--Helio:DataDirectory={app.DataDirectory}", "--Database:Provider=Postgres", $"--ConnectionStrings:Helio={postgres}")
            : RunAsync(command, $"--Helio:DataDirectory={app.DataDirectory}");
}
