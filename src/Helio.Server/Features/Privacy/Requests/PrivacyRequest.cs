using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// A data-subject request (GDPR Art. 12–22) or a complaint, from receipt to its answer (ADR 0023). Its kind-specific
/// details are the requester's own words, encrypted under their key; so are the notes in its history. The identity
/// check is a one-time code mailed to the confirmed address, kept only as a hash. The due date is one calendar month
/// after receipt (<see cref="DueDates"/>), extended by at most two more.
/// </summary>
public sealed class PrivacyRequest
{
    public Guid Id { get; set; }
    /// <summary>The requester. No foreign key: the record of a request outlives an erased account (see the data inventory).</summary>
    public Guid UserId { get; set; }
    public RequestKind Kind { get; set; }
    public RequestState State { get; set; }
    /// <summary>JSON of <see cref="RequestDetails"/>, encrypted under the requester's key.</summary>
    public byte[]? DetailsCipher { get; set; }
    /// <summary>For a review: which automated decision, as <see cref="AutomatedDecisions"/> names it ("alarm:{id}").</summary>
    public string? Decision { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>The end of the day the answer is due (exclusive), in UTC: receipt + 1 + <see cref="ExtendedMonths"/> calendar months.</summary>
    public DateTimeOffset DueAt { get; set; }
    /// <summary>0 to 2 (Art. 12(3)).</summary>
    public int ExtendedMonths { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    /// <summary>More requests of this kind from this person in the 12 months up to verification than the configured number.</summary>
    public bool PossiblyExcessive { get; set; }
    /// <summary>SHA-256 over the request id and the code; null once used, dead, or for a kind that needs none.</summary>
    public byte[]? CodeHash { get; set; }
    public DateTimeOffset? CodeExpiresAt { get; set; }
    /// <summary>Wrong answers to the current code.</summary>
    public int CodeAttempts { get; set; }
    /// <summary>Codes mailed for this request (each needs the password again).</summary>
    public int CodesSent { get; set; }
    /// <summary>When a fee was recorded (Art. 12(5)): at most one per request; its amount and reason are in the history.</summary>
    public DateTimeOffset? FeeRecordedAt { get; set; }
    /// <summary>Completed, refused or expired.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>The due date the privacy officers were last reminded of; an extension re-arms the reminder.</summary>
    public DateTimeOffset? RemindedForDueAt { get; set; }
    /// <summary>Optimistic concurrency: of two officers acting on one request at once, the second gets 409.</summary>
    public int Version { get; set; }

    /// <summary>Verified or in progress: waiting for the privacy officer.</summary>
    public bool IsOpen => State is RequestState.Verified or RequestState.InProgress;
}

/// <summary>One line of a request's history: appended, never changed.</summary>
public sealed class PrivacyRequestEvent
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public DateTimeOffset At { get; set; }
    public RequestEventKind Kind { get; set; }
    /// <summary>Who: the requester, a privacy officer, or null for Helio itself.</summary>
    public Guid? ActorId { get; set; }
    /// <summary>JSON of <see cref="EventNote"/> (free text: a reason, an outcome), encrypted under the requester's key.</summary>
    public byte[]? NoteCipher { get; set; }
    /// <summary>Plain JSON of facts without personal data: months, a new due date, a fee's amount, a repaired range.</summary>
    public string? Data { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<RequestKind>))]
public enum RequestKind
{
    /// <summary>A copy of the personal data (Art. 15(3), 20).</summary>
    [JsonStringEnumMemberName("export")] Export = 1,
    /// <summary>The copy sent to a third party the requester names (Art. 20(2)).</summary>
    [JsonStringEnumMemberName("transfer")] Transfer = 2,
    /// <summary>Wrong derived data, e.g. readings (Art. 16).</summary>
    [JsonStringEnumMemberName("correction")] Correction = 3,
    /// <summary>Erasure on one of the policy's grounds (Art. 17).</summary>
    [JsonStringEnumMemberName("deletion")] Deletion = 4,
    /// <summary>Cancelling the account ("apply for cancellation").</summary>
    [JsonStringEnumMemberName("cancellation")] Cancellation = 5,
    /// <summary>Human review of an automated decision (Art. 22(3)).</summary>
    [JsonStringEnumMemberName("review")] Review = 6,
    /// <summary>A complaint to the privacy contact (Art. 38(4), 77).</summary>
    [JsonStringEnumMemberName("complaint")] Complaint = 7,
}

/// <summary>received → verified → in-progress → completed, or refused; a request never verified expires; one still open
/// when the account is erased is closed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RequestState>))]
public enum RequestState
{
    [JsonStringEnumMemberName("received")] Received = 1,
    [JsonStringEnumMemberName("verified")] Verified = 2,
    [JsonStringEnumMemberName("in-progress")] InProgress = 3,
    [JsonStringEnumMemberName("completed")] Completed = 4,
    [JsonStringEnumMemberName("refused")] Refused = 5,
    [JsonStringEnumMemberName("expired")] Expired = 6,
    /// <summary>The account was erased (by another request, a cancellation's end, retention) before this was answered.</summary>
    [JsonStringEnumMemberName("closed")] Closed = 7,
}

[JsonConverter(typeof(JsonStringEnumConverter<RequestEventKind>))]
public enum RequestEventKind
{
    [JsonStringEnumMemberName("received")] Received = 1,
    [JsonStringEnumMemberName("code-sent")] CodeSent = 2,
    [JsonStringEnumMemberName("code-failed")] CodeFailed = 3,
    [JsonStringEnumMemberName("verified")] Verified = 4,
    [JsonStringEnumMemberName("expired")] Expired = 5,
    [JsonStringEnumMemberName("started")] Started = 6,
    [JsonStringEnumMemberName("extended")] Extended = 7,
    [JsonStringEnumMemberName("fee-recorded")] FeeRecorded = 8,
    [JsonStringEnumMemberName("refused")] Refused = 9,
    [JsonStringEnumMemberName("completed")] Completed = 10,
    [JsonStringEnumMemberName("repaired")] Repaired = 11,
    /// <summary>A cancellation withdrawn by signing in during its grace period (ADR 0026).</summary>
    [JsonStringEnumMemberName("withdrawn")] Withdrawn = 12,
    /// <summary>Closed unanswered because the account was erased first (<see cref="CloseErasedRequests"/>).</summary>
    [JsonStringEnumMemberName("closed")] Closed = 13,
    /// <summary>A cancellation's grace period ended: everyone the data went to was asked to delete it too.</summary>
    [JsonStringEnumMemberName("recipients-notified")] RecipientsNotified = 14,
    /// <summary>A cancellation's grace period ended: the account was erased.</summary>
    [JsonStringEnumMemberName("erased")] Erased = 15,
}

/// <summary>The free text of a history line: a reason or an outcome, and for a refusal the route to complain.</summary>
public sealed record EventNote(string? Text, string? ComplaintRoute = null);

internal sealed class PrivacyRequestConfiguration : IEntityTypeConfiguration<PrivacyRequest>, IEntityTypeConfiguration<PrivacyRequestEvent>
{
    public void Configure(EntityTypeBuilder<PrivacyRequest> builder)
    {
        builder.ToTable("privacy_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Decision).HasMaxLength(80);
        builder.Property(r => r.CodeHash).HasMaxLength(32);
        builder.Property(r => r.Version).IsConcurrencyToken();
        // The requester's own list and the repetition count; the console by state and due date; the reminders.
        builder.HasIndex(r => new { r.UserId, r.Kind, r.VerifiedAt });
        builder.HasIndex(r => new { r.State, r.DueAt });
        builder.Ignore(r => r.IsOpen);
    }

    public void Configure(EntityTypeBuilder<PrivacyRequestEvent> builder)
    {
        builder.ToTable("privacy_request_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Data).HasMaxLength(1000);
        builder.HasIndex(e => new { e.RequestId, e.At });
        builder.HasOne<PrivacyRequest>().WithMany().HasForeignKey(e => e.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
