using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Helio.Server.Tests.Platform;

/// <summary>The real binary with TLS settings, as an operator runs it in production.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("helio-tls-").FullName;

    private Process Start(string environment, params string[] args)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Helio.Server.dll");
        var start = new ProcessStartInfo("dotnet", [server, .. args, $"--Helio:DataDirectory={Path.Combine(directory, "data")}", "--Gateway:Port=0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        var process = Process.Start(start)!;
        // Drain both pipes as lines arrive: a full pipe would block the server mid-write.
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    private void Collect(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private string Output => string.Join('\n', output);

    [Fact]
    public async Task Production_PlainHttpOnAllInterfaces_IsRefusedAtStart()
    {
        using var process = Start("Production", "--urls", $"http://0.0.0.0:{FreePort()}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        process.WaitForExit(); // flushes the asynchronous readers
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Refusing to serve plain HTTP", Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithCertificate_ServesHttps_PagesGetHsts_CookiesAreSecure()
    {
        var (certificate, key) = WriteSelfSignedPem();
        var port = FreePort();
        using var process = Start("Production", "--urls", $"https://127.0.0.1:{port}", $"--Tls:CertificatePath={certificate}", $"--Tls:KeyPath={key}");
        try
        {
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true, AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitReadyAsync(client, process, () => Output);

            // HSTS is never sent to loopback names (a browser would pin localhost); ask as the public host.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/account/sign-in");
            request.Headers.Host = "helio.example";
            var page = await client.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
            var cookies = page.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
            Assert.NotEmpty(cookies);
            Assert.All(cookies, c =>
            {
                Assert.StartsWith("__Host-", c, StringComparison.Ordinal);
                Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("samesite", c, StringComparison.OrdinalIgnoreCase);
            });
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitReadyAsync(HttpClient client, Process process, Func<string> output)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(process.HasExited, "the server exited: " + output());
            try
            {
                if ((await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("The TLS server did not become ready:\n" + output());
    }

    private (string Certificate, string Key) WriteSelfSignedPem()
    {
        using var certificate = Infrastructure.LoopbackCertificates.Create(days: 30);
        using var rsa = certificate.GetRSAPrivateKey()!;
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
