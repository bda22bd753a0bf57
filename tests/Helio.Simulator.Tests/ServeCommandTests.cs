using System.Net;
using Helio.Simulator.Tests.Clients;

namespace Helio.Simulator.Tests;

/// <summary>The serve command as run from the command line: what it prints, and that it answers until stopped.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_PrintsItsPortsAndSerials_AnswersUntilStopped()
    {
        var args = SimulatorArguments.Parse(["serve", "--v5-port", "0", "--modbus-port", "0", "--discovery-port", "off", "--bind", "127.0.0.1", "--count", "2", "--first-serial", "2712345678"]);
        var output = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var running = ServeCommand.RunAsync(args, TextWriter.Synchronized(output), stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!output.ToString().Contains("2712345679", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "serve printed its loggers");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        var printed = output.ToString();
        var port = int.Parse(printed.Split('\n')[0].Split(':')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var client = await V5TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)))
        {
            Assert.NotNull(await client.ReadAsync(2_712_345_679, 0x0445, 8));
        }
        await stop.CancelAsync();

        Assert.Equal(0, await running);
        Assert.Contains("logger 2712345678  inverter SS1ES2712345678  unit 1", printed, StringComparison.Ordinal);
        Assert.Contains("logger 2712345679  inverter SS1ES2712345679  unit 2", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("discovery", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortInUse_IsAClearError_NamingTheService()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var output = new StringWriter();

        var code = await ServeCommand.RunAsync(SimulatorArguments.Parse(["serve", "--v5-port", $"{port}", "--discovery-port", "off", "--bind", "127.0.0.1"]), output, TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        Assert.Contains($"Cannot listen for V5 client mode on 127.0.0.1:{port}", output.ToString(), StringComparison.Ordinal);
    }
}
