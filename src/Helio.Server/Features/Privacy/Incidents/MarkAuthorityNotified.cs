using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>
/// The officer records that the supervisory authority was told (Helio drafts the notice; the authority's own form or
/// portal receives it). Later than 72 hours after discovery, the reasons for the delay are required (Art. 33(1)).
/// Recorded once: a correction is a new incident note, not an overwrite of the proof.
/// </summary>
internal sealed class MarkAuthorityNotified(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid officerId, Guid incidentId, AuthorityNotifiedRequest request, CancellationToken cancellationToken)
    {
        var incident = await db.Set<SecurityIncident>().SingleOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is null)
        {
            return Refusal.NotFound;
        }
        if (incident.AuthorityNotifiedAt is { } already)
        {
            return Refusal.Conflict($"The authority was recorded as notified on {IncidentNotices.Utc(already)}.");
        }
        var now = time.GetUtcNow();
        var notifiedAt = (request.NotifiedAt ?? now).ToUniversalTime();
        var validation = new Validation();
        if (notifiedAt > now + IncidentInput.ClockSkew)
        {
            validation.Add("notifiedAt", "Cannot be in the future.");
        }
        else if (notifiedAt < incident.DiscoveredAt)
        {
            validation.Add("notifiedAt", "Cannot be before the breach was discovered.");
        }
        validation.Optional("reference", request.Reference, IncidentInput.MaxReference);
        validation.Optional("delayReason", request.DelayReason, IncidentInput.MaxText);
        var late = notifiedAt > AuthorityClock.Deadline(incident);
        if (late && string.IsNullOrWhiteSpace(request.DelayReason))
        {
            validation.Add("delayReason", "More than 72 hours after discovery: state the reasons for the delay (GDPR Art. 33(1)).");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        incident.AuthorityNotifiedAt = notifiedAt;
        incident.AuthorityReference = string.IsNullOrWhiteSpace(request.Reference) ? null : request.Reference.Trim();
        incident.DelayReason = string.IsNullOrWhiteSpace(request.DelayReason) ? null : request.DelayReason.Trim();
        incident.UpdatedAt = now;
        await audit.RecordAsync(new AuditRecord(AuditActions.IncidentAuthorityNotified, AuditActor.User(officerId), Target: incident.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { late })), cancellationToken);
        return new Done();
    }
}
