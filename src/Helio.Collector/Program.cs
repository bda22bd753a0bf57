using Helio.Collector;

// The LAN collector's command line (README.md). Stops cleanly on Ctrl+C or SIGTERM.
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(CollectorArguments.Usage);
    return 0;
}
CollectorOptions options;
try
{
    options = CollectorArguments.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Environment.NewLine + CollectorArguments.Usage);
    return 2;
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
var log = new CollectorLog(Console.Out, TimeProvider.System);
return await new Collector(options, log, TimeProvider.System).RunAsync(stop.Token);
