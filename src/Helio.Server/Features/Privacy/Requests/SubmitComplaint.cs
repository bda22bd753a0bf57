using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// A complaint to the privacy contact from a signed-in user (the contact page's form, or the API): a tracked request of
/// kind complaint, in the same console, with the same due date and repetition flag. It needs no code: a complaint
/// neither discloses nor changes anyone's data, so the signed-in session is identity enough, and it is actionable at
/// once. Anonymous complaints are not taken (ADR 0023): the contact page gives the address and the supervisory authority
/// to anyone, and a tracked complaint needs an account to answer and a key to keep its words under.
/// </summary>
internal sealed class SubmitComplaint(HelioDbContext db, RequestIntake intake, RequestHistory history, RequestQueries queries, TimeProvider clock)
{
    public const int MaxSubject = SubmitRequest.MaxShortText, MaxText = 4000;

    public async Task<Outcome<PrivacyRequestDto>> HandleAsync(Guid userId, ComplaintBody body, CancellationToken cancellationToken)
    {
        var validation = new Validation().Require("subject", body.Subject, MaxSubject).Require("text", body.Text, MaxText);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await intake.RefuseIfTooManyAsync(userId, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }
        var now = clock.GetUtcNow();
        var request = await intake.NewAsync(userId, RequestKind.Complaint, new RequestDetails(Subject: body.Subject!.Trim(), Text: body.Text!.Trim()), null, now, cancellationToken);
        var before = await intake.VerifiedInLast12MonthsAsync(userId, RequestKind.Complaint, request.Id, now, cancellationToken);
        request.State = RequestState.Verified;
        request.VerifiedAt = now;
        request.PossiblyExcessive = intake.IsExcessive(before);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PrivacyRequests.Add(request);
        await history.AppendAsync(request, RequestEventKind.Received, userId, now, AuditActions.PrivacyRequestReceived, cancellationToken: cancellationToken);
        await intake.AcceptAsync(request, before, "session", now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await queries.MineAsync(userId, request.Id, cancellationToken))!;
    }
}
