namespace Helio.Server.Features.Privacy.Requests;

/// <summary>Words for requests, shared by the mails and the pages (English; the UI has no other language yet).</summary>
public static class RequestText
{
    public static string Kind(RequestKind kind) => kind switch
    {
        RequestKind.Export => "request for a copy of your data",
        RequestKind.Transfer => "request to transfer your data",
        RequestKind.Correction => "correction request",
        RequestKind.Deletion => "deletion request",
        RequestKind.Cancellation => "account cancellation request",
        RequestKind.Review => "request for human review",
        RequestKind.Complaint => "complaint",
        _ => "request",
    };

    public static string Title(RequestKind kind) => kind switch
    {
        RequestKind.Export => "Copy of my data",
        RequestKind.Transfer => "Transfer to a third party",
        RequestKind.Correction => "Correction of derived data",
        RequestKind.Deletion => "Deletion",
        RequestKind.Cancellation => "Account cancellation",
        RequestKind.Review => "Human review of an automated decision",
        RequestKind.Complaint => "Complaint",
        _ => kind.ToString(),
    };

    /// <summary>The name the API takes and answers with.</summary>
    public static string Key(RequestKind kind) => kind.ToString().ToLowerInvariant();

    public static string Key(RequestState state) => state == RequestState.InProgress ? "in-progress" : state.ToString().ToLowerInvariant();

    public static string State(RequestState state) => state switch
    {
        RequestState.Received => "Waiting for the verification code",
        RequestState.Verified => "Identity verified, waiting for the privacy officer",
        RequestState.InProgress => "In progress",
        RequestState.Completed => "Completed",
        RequestState.Refused => "Refused",
        RequestState.Expired => "Expired (identity never verified)",
        RequestState.Closed => "Closed (the account was erased first)",
        _ => state.ToString(),
    };

    public static string Event(RequestEventKind kind) => kind switch
    {
        RequestEventKind.Received => "received",
        RequestEventKind.CodeSent => "verification code sent",
        RequestEventKind.CodeFailed => "wrong verification code",
        RequestEventKind.Verified => "identity verified",
        RequestEventKind.Expired => "expired",
        RequestEventKind.Started => "work started",
        RequestEventKind.Extended => "time extended",
        RequestEventKind.FeeRecorded => "fee recorded",
        RequestEventKind.Refused => "refused",
        RequestEventKind.Completed => "completed",
        RequestEventKind.Repaired => "data repaired",
        RequestEventKind.Withdrawn => "withdrawn",
        RequestEventKind.Closed => "closed: the account was erased",
        RequestEventKind.RecipientsNotified => "recipients asked to delete the data",
        RequestEventKind.Erased => "account erased",
        _ => kind.ToString(),
    };

    public static string DaysLeft(int days) => days switch
    {
        < -1 => $"{-days} days overdue",
        -1 => "1 day overdue",
        0 => "due today",
        1 => "1 day left",
        _ => $"{days} days left",
    };
}
