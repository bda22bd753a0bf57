using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>A user marks an incident notice read: the app stops showing it at each visit. Someone else's notice is missing.</summary>
internal sealed class ReadIncidentNotice(HelioDbContext db, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid incidentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await db.Set<IncidentNotice>().AnyAsync(n => n.UserId == userId && n.IncidentId == incidentId, cancellationToken);
        if (!found)
        {
            return Refusal.NotFound;
        }
        await db.Set<IncidentNotice>().Where(n => n.UserId == userId && n.IncidentId == incidentId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return new Done();
    }
}
