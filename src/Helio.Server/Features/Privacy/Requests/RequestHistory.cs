using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// Writes a request's history: one appended line per change (who, when, what), its free text encrypted under the
/// requester's key, and the same change as an audit entry about the requester. Added to the caller's unit of work; the
/// audit append saves it, inside the caller's transaction when there is one.
/// </summary>
internal sealed class RequestHistory(HelioDbContext db, PersonalDataProtector protector, AuditTrail audit)
{
    public const string NoteField = "privacy_request_events.note";

    /// <param name="actorId">The requester or a privacy officer; null for Helio itself.</param>
    /// <param name="auditAction">Null for a step that is the request's own business only (a code mailed).</param>
    /// <param name="facts">Plain facts without personal data (months, dates, amounts, ids), also the audit entry's detail.</param>
    public async Task AppendAsync(
        PrivacyRequest request, RequestEventKind kind, Guid? actorId, DateTimeOffset at, string? auditAction,
        EventNote? note = null, IReadOnlyDictionary<string, string>? facts = null, Guid? plantId = null, CancellationToken cancellationToken = default)
    {
        db.PrivacyRequestEvents.Add(new PrivacyRequestEvent
        {
            Id = Guid.CreateVersion7(at),
            RequestId = request.Id,
            At = at,
            Kind = kind,
            ActorId = actorId,
            NoteCipher = note is null ? null : await protector.EncryptAsync(request.UserId, NoteField, JsonSerializer.Serialize(note), cancellationToken),
            Data = facts is null ? null : JsonSerializer.Serialize(facts),
        });
        if (auditAction is null)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        var detail = new Dictionary<string, string>(facts ?? new Dictionary<string, string>(), StringComparer.Ordinal) { ["kind"] = RequestText.Key(request.Kind) };
        await audit.RecordAsync(new AuditRecord(
            auditAction, actorId is { } id ? AuditActor.User(id) : AuditActor.System, SubjectUserId: request.UserId, PlantId: plantId,
            Target: request.Id.ToString(), Detail: JsonSerializer.Serialize(detail)), cancellationToken);
    }

    public async Task<EventNote?> ReadNoteAsync(Guid requesterId, PrivacyRequestEvent line, CancellationToken cancellationToken) =>
        line.NoteCipher is null ? null
            : JsonSerializer.Deserialize<EventNote>(await protector.DecryptAsync(requesterId, NoteField, line.NoteCipher, cancellationToken));
}
