namespace Helio.Server.Features.Alarms;

/// <summary>An alarm as the API and pages show it. Times are instants in the plant's local offset (e.g.
/// 2026-06-21T13:05:00+02:00), so they read as local time and still compare as instants.</summary>
public sealed record AlarmDto(
    Guid Id,
    Guid PlantId,
    string PlantName,
    string TimeZone,
    string? DeviceSerial,
    AlarmSource Source,
    string Code,
    AlarmSeverity Severity,
    AlarmState State,
    string Title,
    string? Action,
    DateTimeOffset RaisedAt,
    DateTimeOffset LastSeenAt,
    int Occurrences,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ClearedAt,
    DateTimeOffset? ClosedAt,
    bool Flapping);

public sealed record AlarmPageDto(IReadOnlyList<AlarmDto> Alarms, string? Next);

public sealed record AlarmEventDto(AlarmEventKind Kind, DateTimeOffset At, bool ByPerson, string? Detail);

public sealed record AlarmReviewDto(Guid Id, ReviewState State, DateTimeOffset RequestedAt, DateTimeOffset? AnsweredAt, string? Answer);

public sealed record AlarmDetailDto(AlarmDto Alarm, AlarmExplanation Explanation, IReadOnlyList<AlarmEventDto> History, IReadOnlyList<AlarmReviewDto> Reviews);

/// <summary>The explanation endpoint's answer: the decision and what it rested on.</summary>
public sealed record AlarmExplanationDto(Guid AlarmId, string Title, AlarmSeverity Severity, DateTimeOffset RaisedAt, AlarmExplanation Explanation, string ReviewHow);

public sealed record OpenAlarmCount(int Open, AlarmSeverity? Worst);

public sealed record RequestReviewRequest(string? Reason);
