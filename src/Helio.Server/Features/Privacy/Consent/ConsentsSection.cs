using Helio.Server.Features.Privacy.Requests;

namespace Helio.Server.Features.Privacy.Consent;

public sealed record MyConsentsDto(IReadOnlyList<ConsentStateDto> Current, IReadOnlyList<ConsentRecordDto> History);

/// <summary>"My data" (and the export built on it): each purpose's current decision, and every decision recorded.</summary>
internal sealed class ConsentsSection(ConsentQueries consents) : IMyDataSection
{
    public const string SectionName = "consents";

    public string Name => SectionName;

    /// <summary>This section of a person's My data (the export reads it there); a My data without it is a wiring fault.</summary>
    public static MyConsentsDto Of(MyDataDto data) =>
        data.More?.GetValueOrDefault(SectionName) as MyConsentsDto
            ?? throw new InvalidOperationException($"My data has no \"{SectionName}\" section: ConsentsSection is not registered.");

    public async Task<object> ReadAsync(Guid userId, CancellationToken cancellationToken) =>
        new MyConsentsDto(await consents.CurrentAsync(userId, cancellationToken), await consents.HistoryAsync(userId, cancellationToken));
}
