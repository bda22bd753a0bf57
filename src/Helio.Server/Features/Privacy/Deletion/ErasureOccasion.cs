using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Features.Privacy.Requests;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// Why <see cref="DeletionJob"/> erases an account — a deletion request, or a cancellation whose grace period ended —
/// and what that changes: the words of the notices, and the request's lines. The steps are the same.
/// </summary>
internal sealed record ErasureOccasion(
    string Why, string WebhookWhy, Func<Guid, string> Opening, RequestEventKind NoticesLine, string NoticesAudit,
    RequestEventKind ErasedLine, string? ErasedAudit, string ErasureReason)
{
    /// <summary>Recorded with the erasure of an account in the audit trail, after a deletion request.</summary>
    public const string DeletionRequest = "deletion-request";

    private static readonly ErasureOccasion Deletion = new(
        "at their request (GDPR Art. 17)", "at its owner's request (GDPR Art. 17)",
        id => $"We are carrying out your deletion request (request {id}) now.",
        RequestEventKind.Started, AuditActions.PrivacyRequestStarted,
        RequestEventKind.Completed, AuditActions.PrivacyRequestCompleted, DeletionRequest);

    // The cancellation was answered when it took effect; its erasure adds lines to a completed request. The erasure
    // itself is audited by AccountErasure, so its line needs no entry of its own.
    private static readonly ErasureOccasion Cancellation = new(
        "after they cancelled their account", "because its owner cancelled it",
        id => $"The grace period of your account cancellation (request {id}) has ended without a sign-in, so we are erasing your account now.",
        RequestEventKind.RecipientsNotified, AuditActions.ErasureNoticesSent,
        RequestEventKind.Erased, null, ErasureReasons.AccountCancelled);

    public static ErasureOccasion Of(PrivacyRequest request) => request.Kind == RequestKind.Cancellation ? Cancellation : Deletion;

    /// <summary>Whether the request is still Helio's to carry out: a deletion request in <paramref name="deletionState"/>
    /// (verified before the notices, in progress after), or a cancellation, answered when it took effect.</summary>
    public static bool IsDue(PrivacyRequest request, RequestState deletionState) =>
        request.State == (request.Kind == RequestKind.Cancellation ? RequestState.Completed : deletionState);
}
