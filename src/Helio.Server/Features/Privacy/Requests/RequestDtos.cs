namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// A new request. <see cref="Kind"/> and <see cref="Password"/> always; the rest by kind (see <see cref="RequestDetails"/>).
/// Kind is text so that a wrong value is named in the problem details.
/// </summary>
public sealed record SubmitRequestBody(
    string? Kind,
    string? Password,
    string? Data = null,
    string? Problem = null,
    Guid? PlantId = null,
    string? DeviceSerial = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Ground = null,
    string? Decision = null,
    string? Reason = null,
    string? TargetUrl = null,
    string? Text = null,
    string? TargetRegion = null,
    bool? TransferConsent = null);

public sealed record VerifyRequestBody(string? Code);

public sealed record NewCodeBody(string? Password);

public sealed record ComplaintBody(string? Subject, string? Text);

/// <summary>
/// A request as its requester sees it. For an export or transfer, <see cref="Progress"/> is how far the work has got,
/// and <see cref="DownloadUrl"/> where a completed export is fetched (POST with the password) until it expires; both
/// come from <see cref="IRequestWork"/> (ADR 0025) and are null for every other kind.
/// </summary>
public sealed record PrivacyRequestDto(
    Guid Id,
    RequestKind Kind,
    RequestState State,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? VerifiedAt,
    DateOnly DueDate,
    int DaysLeft,
    int ExtendedMonths,
    DateTimeOffset? CodeExpiresAt,
    int CodeAttemptsLeft,
    string? Decision,
    RequestDetails Details,
    RequestAnswerDto Answer,
    string? DownloadUrl,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<HistoryLineDto> History,
    RequestProgressDto? Progress = null);

/// <summary>What the privacy officer said: the outcome, or the refusal with the route to complain, and any fee or extension.</summary>
public sealed record RequestAnswerDto(string? Outcome, RefusalDto? Refusal, FeeDto? Fee, IReadOnlyList<ExtensionDto> Extensions, IReadOnlyList<RepairDto> Repairs);

public sealed record RefusalDto(string Reason, string ComplaintRoute);

public sealed record FeeDto(decimal Amount, string Currency, string Reason);

public sealed record ExtensionDto(int Months, string Reason, DateTimeOffset At);

/// <summary>A data repair done for a correction request: which device's readings in which range, and the officer's note.</summary>
public sealed record RepairDto(string DeviceSerial, DateTimeOffset From, DateTimeOffset To, long ReadingsDeleted, string Note, DateTimeOffset At);

/// <param name="Who">"you" or "the requester", "a privacy officer" (with their masked address in the console), or "Helio".</param>
public sealed record HistoryLineDto(DateTimeOffset At, RequestEventKind Event, string Who, string? Note, IReadOnlyDictionary<string, string>? Facts);

/// <summary>A request in the privacy officer's list.</summary>
public sealed record ConsoleRequestDto(
    Guid Id,
    RequestKind Kind,
    RequestState State,
    string Requester,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? VerifiedAt,
    DateOnly DueDate,
    int DaysLeft,
    int ExtendedMonths,
    bool PossiblyExcessive,
    bool FeeRecorded,
    bool Actionable);

/// <summary>One request in the console: its details (reading them is audited), its answer so far and its whole history.</summary>
public sealed record ConsoleRequestDetailDto(
    ConsoleRequestDto Request,
    string? Decision,
    RequestDetails Details,
    int SameKindIn12Months,
    bool OwnRequest,
    RequestAnswerDto Answer,
    IReadOnlyList<HistoryLineDto> History);

public sealed record CompleteRequestBody(string? Outcome);

public sealed record RefuseRequestBody(string? Reason, string? ComplaintRoute);

public sealed record ExtendRequestBody(int? Months, string? Reason);

public sealed record RecordFeeBody(decimal? Amount, string? Currency, string? Reason);

public sealed record RepairReadingsBody(string? DeviceSerial, DateTimeOffset? From, DateTimeOffset? To, string? Note);

/// <summary>The privacy contact (Privacy:Contact), public.</summary>
public sealed record PrivacyContactDto(string Name, string? Email, string? PostalAddress, string SupervisoryAuthority, string? SupervisoryAuthorityUrl);
