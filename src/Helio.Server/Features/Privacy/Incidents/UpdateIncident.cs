using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>
/// What is known about a breach grows (Art. 33(4) allows telling the authority in phases): the officer corrects and
/// completes the record. The public page shows the latest text; people already notified are not mailed again unless
/// the officer notifies anew.
/// </summary>
internal sealed class UpdateIncident(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid officerId, Guid incidentId, IncidentRequest request, CancellationToken cancellationToken)
    {
        var incident = await db.Set<SecurityIncident>().SingleOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is null)
        {
            return Refusal.NotFound;
        }
        var now = time.GetUtcNow();
        var validation = IncidentInput.Validate(request, now);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        IncidentInput.Apply(request, incident);
        incident.UpdatedAt = now;
        await audit.RecordAsync(new AuditRecord(AuditActions.IncidentUpdated, AuditActor.User(officerId), Target: incident.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { categories = incident.DataCategories, affected = request.Affected!.Kind })), cancellationToken);
        return new Done();
    }
}
