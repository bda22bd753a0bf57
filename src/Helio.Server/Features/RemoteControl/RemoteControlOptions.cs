using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.RemoteControl;

/// <summary>Settings under "RemoteControl": how operations are delivered, and their limits (ADR 0020).</summary>
public sealed class RemoteControlOptions : IValidatableObject
{
    public const string Section = "RemoteControl";

    /// <summary>How often each node looks for pending operations of loggers it holds (it is also woken at once when
    /// an operation is queued on it).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one operation may take from claim to the inverter's answer and read-back.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A pending operation whose logger has not been heard for this long fails as "logger offline".</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A pending operation whose logger is heard but that no node could send for this long (its inverter did not
    /// identify itself, asleep at night) fails as not delivered, rather than changing a setting hours after it was asked.</summary>
    public TimeSpan DeliveryWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A dangerous operation nobody approved or rejected within this long fails.</summary>
    public TimeSpan ApprovalWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Operations one device may be asked for per hour (any outcome).</summary>
    [Range(1, 1000)]
    public int MaxPerDevicePerHour { get; set; } = 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PollInterval < TimeSpan.FromMilliseconds(50) || PollInterval > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("RemoteControl:PollInterval must be between 50 ms and 5 minutes.", [nameof(PollInterval)]);
        }
        if (OperationTimeout < TimeSpan.FromSeconds(1) || OperationTimeout > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("RemoteControl:OperationTimeout must be between 1 second and 10 minutes.", [nameof(OperationTimeout)]);
        }
        if (OfflineAfter < TimeSpan.FromSeconds(1) || OfflineAfter > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("RemoteControl:OfflineAfter must be between 1 second and 1 day.", [nameof(OfflineAfter)]);
        }
        if (DeliveryWindow < OfflineAfter || DeliveryWindow > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("RemoteControl:DeliveryWindow must be at least RemoteControl:OfflineAfter and at most 1 day.", [nameof(DeliveryWindow)]);
        }
        if (ApprovalWindow < TimeSpan.FromMinutes(1) || ApprovalWindow > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult("RemoteControl:ApprovalWindow must be between 1 minute and 7 days.", [nameof(ApprovalWindow)]);
        }
    }
}
