using Helio.Server.Features.Alarms;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>Alarms raised through the lifecycle's one entry point (<see cref="AlarmBook"/>), as the detectors raise them,
/// for tests about what comes after: pages, notifications, authorisation.</summary>
public static class TestAlarms
{
    public static async Task<Alarm> RaiseAsync(this HelioApp app, Guid plant, string serial, string code, AlarmSeverity severity, string? title = null, string? action = null)
    {
        await using var scope = app.Scope();
        var explanation = new AlarmExplanation("inverter-fault-bit", $"The inverter reported {code}.",
            new Dictionary<string, string> { ["active fault IDs"] = code }, new Dictionary<string, string> { ["condition"] = "bit set" }, DateTimeOffset.UtcNow);
        return await scope.ServiceProvider.GetRequiredService<AlarmBook>().RaiseAsync(
            new AlarmSignal(plant, serial, AlarmSource.Fault, code, severity, title ?? code, action, explanation), TestContext.Current.CancellationToken);
    }
}
