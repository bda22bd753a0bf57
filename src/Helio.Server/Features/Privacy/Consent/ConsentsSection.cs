using Helio.Server.Features.Privacy.Requests;

namespace Helio.Server.Features.Privacy.Consent;

public sealed record MyConsentsDto(IReadOnlyList<ConsentStateDto> Current, IReadOnlyList<ConsentRecordDto> History);

/// <summary>"My data" (and the export built on it): each purpose's current decision, and every decision recorded.</summary>
internal sealed class ConsentsSection(ConsentQueries consents) : IMyDataSection
{
    public const string SectionName = "consents";

    public string Name => SectionName;

    public async Task<object> ReadAsync(Guid userId, CancellationToken cancellationToken) =>
        new MyConsentsDto(await consents.CurrentAsync(userId, cancellationToken), await consents.HistoryAsync(userId, cancellationToken));
}
