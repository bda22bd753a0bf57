using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Helio.BrowserTests;

/// <summary>
/// The real Helio binary, started as the README starts it (Development, SQLite, mails as .eml files in
/// the data directory), on a free loopback port, for the browser to talk to.
/// </summary>
public sealed class HelioServer : IAsyncLifetime
{
    private Process? process;
    private readonly System.Text.StringBuilder output = new();

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("helio-browser-").FullName;
    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (Browsers.ChromiumPath() is null)
        {
            return;
        }
        var port = FreePort();
        BaseAddress = new Uri($"http://localhost:{port}");
        var serverDirectory = ServerDirectory();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(serverDirectory, "Helio.Server.dll"), "--urls", BaseAddress.ToString().TrimEnd('/'), $"--Helio:DataDirectory={DataDirectory}", "--Gateway:Port=0",
            // No map tiles: the plant map would ask a tile server on the internet, which tests must not.
            "--Web:MapTileUrl=",
            // Webhooks to a receiver of the test's own, on loopback.
            "--Notifications:AllowPrivateTargets=true"])
        {
            WorkingDirectory = serverDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited)
            {
                break;
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException("Helio did not become ready:\n" + Output);
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Runs an operator's command (<c>users add-role …</c>) with the binary, on this server's data directory.</summary>
    public async Task RunCommandAsync(params string[] arguments)
    {
        var serverDirectory = ServerDirectory();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(serverDirectory, "Helio.Server.dll"), .. arguments, $"--Helio:DataDirectory={DataDirectory}"])
        {
            WorkingDirectory = serverDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var command = Process.Start(start)!;
        var ct = TestContext.Current.CancellationToken;
        var output = await command.StandardOutput.ReadToEndAsync(ct) + await command.StandardError.ReadToEndAsync(ct);
        await command.WaitForExitAsync(ct);
        Assert.True(command.ExitCode == 0, $"{string.Join(' ', arguments)}: {output}");
    }

    /// <summary>The server's build output, next to this test project's (bin/&lt;Configuration&gt;/net10.0).</summary>
    private static string ServerDirectory()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Helio.Server/bin", configuration, "net10.0"));
    }

    /// <summary>Waits for the .eml written for <paramref name="to"/> with <paramref name="subject"/>.</summary>
    public async Task<MimeMessage> WaitForMailAsync(string to, string subject)
    {
        var outbox = Path.Combine(DataDirectory, "mail-outbox");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (Directory.Exists(outbox))
            {
                foreach (var file in Directory.EnumerateFiles(outbox, "*.eml"))
                {
                    var message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)) && (message.Subject ?? "").Contains(subject, StringComparison.Ordinal))
                    {
                        return message;
                    }
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No mail '{subject}' to {to}.\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
