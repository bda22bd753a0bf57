using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>Puts the notice on the public page (<c>/privacy/incidents/{id}</c>), for when telling everyone one by one is
/// impractical (Art. 34(3)(c)) or as well as it. Publishing again changes nothing.</summary>
internal sealed class PublishIncident(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<string>> HandleAsync(Guid officerId, Guid incidentId, CancellationToken cancellationToken)
    {
        var incident = await db.Set<SecurityIncident>().SingleOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is null)
        {
            return Refusal.NotFound;
        }
        if (incident.PublishedAt is null)
        {
            incident.PublishedAt = time.GetUtcNow();
            await audit.RecordAsync(new AuditRecord(AuditActions.IncidentPublished, AuditActor.User(officerId), Target: incident.Id.ToString()), cancellationToken);
        }
        return IncidentDto.PathOf(incident.Id);
    }
}
