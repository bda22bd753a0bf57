using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>The privacy officer records a breach as soon as it is found: the 72-hour clock runs from its discovery.</summary>
internal sealed class RecordIncident(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Guid>> HandleAsync(Guid officerId, IncidentRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var validation = IncidentInput.Validate(request, now);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var incident = new SecurityIncident
        {
            Id = Guid.CreateVersion7(), Title = "", Description = "", DataCategories = "", Affected = "", LikelyConsequences = "", MeasuresTaken = "",
            Advice = "", Contact = "", RecordedBy = officerId, RecordedAt = now, UpdatedAt = now,
        };
        IncidentInput.Apply(request, incident);
        db.Add(incident);
        // Saved with the entry, in its transaction.
        await audit.RecordAsync(new AuditRecord(AuditActions.IncidentRecorded, AuditActor.User(officerId), Target: incident.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { categories = incident.DataCategories, affected = request.Affected!.Kind })), cancellationToken);
        return incident.Id;
    }
}
