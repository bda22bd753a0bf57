using System.Globalization;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The data repair of a correction request, kept minimal: a privacy officer deletes a range of wrong readings of one
/// device in one of the requester's own plants (<see cref="TelemetryRepair"/> puts the rollups right), with a note of
/// what was repaired and why. The requester asked for it, so the officer needs no grant to the plant for this one act;
/// it is audited as <c>privacy.data-repaired</c> on the plant (the owner sees it in "who accessed my data"), kept in the
/// request's history, and shown to the requester. The request moves to in progress; completing it is a separate step.
/// </summary>
internal sealed class RepairReadings(HelioDbContext db, RequestChange change)
{
    public const int MaxNote = 2000;

    public async Task<Outcome<ConsoleRequestDto>> HandleAsync(Guid officerId, Guid requestId, RepairReadingsBody body, CancellationToken cancellationToken)
    {
        var found = await change.FindAsync(officerId, requestId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.ToRefusal();
        }
        var request = found.Value!;
        var validation = new Validation().Require("deviceSerial", body.DeviceSerial, SubmitRequest.MaxSerial).Require("note", body.Note, MaxNote);
        if (body.From is not { } from || body.To is not { } to)
        {
            validation.Add(body.From is null ? "from" : "to", "Required: the range of wrong readings.");
        }
        else if (to <= from || to - from > SubmitRequest.MaxRange)
        {
            validation.Add("to", $"Must be after from, and at most {SubmitRequest.MaxRange.TotalDays} days after it.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (request.Kind != RequestKind.Correction)
        {
            return Refusal.Conflict("Only a correction request repairs data.");
        }
        if (!request.IsOpen)
        {
            return RequestChange.NotOpen;
        }
        var serial = body.DeviceSerial!.Trim();
        // The device as it is now: in a plant the requester owns. A device that has moved on is no longer theirs to repair.
        var plantId = await (
            from d in db.Devices
            join p in db.Plants on d.PlantId equals p.Id
            where d.SerialNumber == serial && p.OwnerId == request.UserId
            select (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
        if (plantId is null)
        {
            return Refusal.Invalid("deviceSerial", "None of the requester's plants has a device with this serial number.");
        }

        // One transaction for the deletion and its record: the readings go if and only if the repair is recorded.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await TelemetryRepair.DeleteReadingsAsync(db, serial, plantId.Value, body.From!.Value, body.To!.Value, cancellationToken);
        request.State = RequestState.InProgress;
        var facts = new Dictionary<string, string>
        {
            ["serial"] = serial,
            ["from"] = body.From.Value.ToString("O", CultureInfo.InvariantCulture),
            ["to"] = body.To.Value.ToString("O", CultureInfo.InvariantCulture),
            ["deleted"] = deleted.ToString(CultureInfo.InvariantCulture),
        };
        var outcome = await change.SaveAsync(request, officerId, RequestEventKind.Repaired, AuditActions.PrivacyDataRepaired, new EventNote(body.Note!.Trim()), facts,
            null, cancellationToken, plantId);
        if (outcome.IsSuccess)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return outcome;
    }
}
