using System.Globalization;
using System.Text;
using Helio.Collector.Forwarding;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector.Sources;

/// <summary>
/// Keeps one source polled: one connection, kept open, reconnected with backoff when it fails; on each connection
/// the inverter is identified by its serial-number registers (another inverter may answer after a reconnect),
/// then the register map's read plan is read every <see cref="CollectorOptions.Interval"/> and decoded into one
/// reading. A poll with a block that fails is skipped whole, as the gateway does: a reading is all of the plan.
/// </summary>
internal sealed class InverterPoller(
    LoggerSource source,
    CollectorOptions options,
    Action<CollectedReading> collected,
    CollectorLog log,
    TimeProvider time,
    Action<LoggerSource, string>? identified = null)
{
    private readonly RegisterMap map = options.Map;

    /// <summary>The inverter behind the source, once identified.</summary>
    public string? InverterSerial { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.FirstBackoff, options.MaxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await RegisterConnection.OpenAsync(source, options.RequestTimeout, time, cancellationToken);
                var serial = await IdentifyAsync(connection, cancellationToken);
                if (serial != InverterSerial)
                {
                    log.Info($"{source}: inverter {serial}");
                    InverterSerial = serial;
                    identified?.Invoke(source, serial);
                }
                using var timer = new PeriodicTimer(options.Interval, time);
                do
                {
                    if (await PollAsync(connection, serial, cancellationToken))
                    {
                        backoff.Reset();
                    }
                }
                while (await timer.WaitForNextTickAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong with this source (unreachable, silent, not a logger, a bug), the others go on
                // and this one is tried again: a collector runs unattended.
                var pause = backoff.Next();
                log.Warn($"{source}: {Reason(e)}; trying again in {pause.TotalSeconds:0.#} s");
                await Task.Delay(pause, time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<string> IdentifyAsync(RegisterConnection connection, CancellationToken cancellationToken)
    {
        if (source.InverterSerial is { } given)
        {
            return given;
        }
        var block = map.SerialNumber ?? throw new InvalidOperationException($"{map.Name} has no serial-number registers; the source must name its inverter.");
        var read = await connection.ReadAsync(map.Function, block.Start, block.Count, cancellationToken);
        if (read.Registers is null)
        {
            throw new InvalidDataException($"the inverter did not tell its serial number: {read.Problem}");
        }
        var serial = RegisterMap.DecodeAscii(read.Registers);
        return serial.Length > 0 && serial.All(char.IsAsciiLetterOrDigit)
            ? serial
            : throw new InvalidDataException("the inverter's serial-number registers hold no serial number (only letters and digits are one)");
    }

    /// <summary>One reading of the whole read plan; false (and logged) when a block was refused or malformed.</summary>
    private async Task<bool> PollAsync(RegisterConnection connection, string serial, CancellationToken cancellationToken)
    {
        var reading = new InverterReading();
        for (var i = 0; i < map.Plan.Count; i++)
        {
            var block = map.Plan[i];
            var read = await connection.ReadAsync(map.Function, block.Start, block.Count, cancellationToken);
            if (read.Registers is null)
            {
                log.Warn($"{source}: registers {block}: {read.Problem}; this reading is skipped");
                return false;
            }
            map.Decode(i, read.Registers, ref reading);
        }
        map.Complete(ref reading);
        // Whole seconds, as the timestamp is sent; a resent reading carries the same one, so the server stores it once.
        var now = time.GetUtcNow();
        collected(new CollectedReading(serial, new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero), reading));
        log.Info($"{serial}: {Summary(reading)}");
        return true;
    }

    private static string Summary(in InverterReading reading)
    {
        var text = new StringBuilder(IngestReading.StateName(reading.State));
        Append(text, reading, Metric.ActivePowerW, "W", "0");
        Append(text, reading, Metric.EnergyTodayKwh, "kWh today", "0.0#");
        Append(text, reading, Metric.EnergyTotalKwh, "kWh total", "0.#");
        if (!reading.Faults.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $", faults {string.Join(' ', reading.Faults.ToArray())}");
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, in InverterReading reading, Metric metric, string unit, string format)
    {
        if (reading[metric] is { } value)
        {
            text.Append(", ").Append(value.ToString(format, CultureInfo.InvariantCulture)).Append(' ').Append(unit);
        }
    }

    private static string Reason(Exception e) => e switch
    {
        System.Net.Sockets.SocketException or IOException or TimeoutException or InvalidDataException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
