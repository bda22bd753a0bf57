using Helio.Server.Features.Privacy.Requests;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>"My data": the notices of security incidents this person was told of, and whether they read them.</summary>
internal sealed class IncidentNoticesSection(IncidentQueries incidents) : IMyDataSection
{
    public string Name => "incidentNotices";

    public async Task<object> ReadAsync(Guid userId, CancellationToken cancellationToken) => await incidents.MyNoticesAsync(userId, cancellationToken);
}
