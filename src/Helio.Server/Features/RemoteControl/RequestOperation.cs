using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.RemoteControl;

/// <summary>What asking for an operation came to: the operation, a refusal, or the hourly limit with when to come back.</summary>
internal sealed record RequestedOperation(Outcome<OperationDto> Outcome, TimeSpan? RetryAfter = null);

/// <summary>
/// Someone who may operate the device's plant (the owner, or an engineer during an operate grant) asks for a setting to
/// be written. The value is validated against the register map's range and the registers to write are fixed now; a
/// dangerous one waits for a second person's approval, any other is queued for the node holding the logger's
/// connection at once. Everyone else gets 404, as for a device that does not exist.
/// </summary>
internal sealed class RequestOperation(
    OperationQueries queries, OperationLedger ledger, OperationSignal signal, IOptions<RemoteControlOptions> options, TimeProvider time)
{
    public async Task<RequestedOperation> HandleAsync(Guid userId, string serialNumber, OperationRequest request, CancellationToken cancellationToken)
    {
        if (await queries.DeviceAsync(userId, serialNumber, operate: true, cancellationToken) is not { } device)
        {
            return new(Refusal.NotFound);
        }
        var validation = new Validation();
        if (OperationCatalogue.Plan(device.Map, request.Setting, request.Value, validation) is not { } plan)
        {
            return new(validation.ToRefusal());
        }

        var now = time.GetUtcNow();
        var operation = new RemoteOperation
        {
            Id = Guid.CreateVersion7(now),
            DeviceId = device.Id,
            PlantId = device.PlantId,
            DeviceSerial = device.SerialNumber,
            Setting = plan.Setting,
            Value = plan.Value,
            Address = plan.Address,
            Registers = OperationCatalogue.Format(plan.Registers),
            Dangerous = plan.Dangerous,
            State = plan.Dangerous ? OperationState.AwaitingApproval : OperationState.Pending,
            RequestedBy = userId,
            RequestedAt = now,
            QueuedAt = plan.Dangerous ? null : now,
        };
        await using (var transaction = await ledger.BeginAsync(device.Id, cancellationToken))
        {
            // Counted under the device's lock, so two nodes cannot both let the 21st through.
            var window = now - TimeSpan.FromHours(1);
            var recent = await ledger.Operations.Where(o => o.DeviceId == device.Id && o.RequestedAt > window)
                .OrderBy(o => o.RequestedAt).Select(o => o.RequestedAt).ToListAsync(cancellationToken);
            if (recent.Count >= options.Value.MaxPerDevicePerHour)
            {
                // Free again when the oldest of the hour's operations leaves the window.
                var wait = recent[recent.Count - options.Value.MaxPerDevicePerHour] - window;
                return new(Refusal.Conflict($"At most {options.Value.MaxPerDevicePerHour} operations per device and hour."), wait);
            }
            await ledger.AddAsync(operation, userId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (!plan.Dangerous)
        {
            signal.Pulse();
        }
        return new((await queries.ToDtosAsync(userId, device.Map, canOperate: true, [operation], cancellationToken))[0]);
    }
}
