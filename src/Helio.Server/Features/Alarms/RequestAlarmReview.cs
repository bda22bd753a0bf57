using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// A plant's user asks that a person review the automated decision behind an alarm: a tracked request (open until a
/// support engineer answers), shown on the alarm with its state. The Privacy issue lists these with the user's other
/// requests about automated decisions.
/// </summary>
public sealed class RequestAlarmReview(HelioDbContext db, AlarmQueries queries, PersonalDataProtector protector, TimeProvider time)
{
    public const string ReasonField = "alarm_reviews.reason";
    public const int MaxReason = 2000;

    public async Task<Outcome<AlarmReviewDto>> HandleAsync(Guid userId, Guid alarmId, RequestReviewRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation().Require("reason", request.Reason, MaxReason);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await queries.FindAsync(userId, alarmId, cancellationToken) is not { } found)
        {
            return Refusal.NotFound;
        }
        var now = time.GetUtcNow();
        var review = new AlarmReview
        {
            Id = Guid.CreateVersion7(now),
            AlarmId = alarmId,
            RequestedBy = userId,
            RequestedAt = now,
            ReasonCipher = await protector.EncryptAsync(userId, ReasonField, request.Reason!.Trim(), cancellationToken),
            State = ReviewState.Open,
        };
        db.AlarmReviews.Add(review);
        db.AlarmEvents.Add(new AlarmEvent { AlarmId = alarmId, Kind = AlarmEventKind.ReviewRequested, At = now, ActorId = userId, NotifiedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        var zone = Telemetry.Zones.Find(found.Dto.TimeZone);
        return new AlarmReviewDto(review.Id, review.State, AlarmQueries.Local(now, zone), null, null);
    }
}
