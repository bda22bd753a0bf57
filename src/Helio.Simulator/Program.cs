using Helio.Simulator;

// The simulator's command line (README.md). Stops cleanly on Ctrl+C.
SimulatorArguments arguments;
try
{
    arguments = SimulatorArguments.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Environment.NewLine + SimulatorArguments.Usage);
    return 2;
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
return arguments.Command == "serve"
    ? await ServeCommand.RunAsync(arguments, Console.Out, stop.Token)
    : await PushCommand.RunAsync(arguments, Console.Out, stop.Token);
