using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Alarms;

/// <summary>A plant's user says they have seen the alarm. Acknowledging twice is harmless (the first time counts).</summary>
public sealed class AcknowledgeAlarm(AlarmQueries queries, AlarmBook book)
{
    public async Task<Outcome<AlarmDto>> HandleAsync(Guid userId, Guid alarmId, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(userId, alarmId, cancellationToken) is not { } found)
        {
            return Refusal.NotFound;
        }
        await book.AcknowledgeAsync(alarmId, userId, cancellationToken);
        return (await queries.FindAsync(userId, alarmId, cancellationToken))!.Value.Dto;
    }
}

/// <summary>A plant's user closes an alarm whose condition has cleared; an active one answers 409, since its condition
/// is still there and closing it would hide that.</summary>
public sealed class CloseAlarm(AlarmQueries queries, AlarmBook book)
{
    public async Task<Outcome<AlarmDto>> HandleAsync(Guid userId, Guid alarmId, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(userId, alarmId, cancellationToken) is not { } found)
        {
            return Refusal.NotFound;
        }
        if (found.Alarm.IsActive)
        {
            return Refusal.Conflict("The alarm's condition is still present: it can be closed once it has cleared.");
        }
        await book.CloseAsync(alarmId, userId, cancellationToken);
        return (await queries.FindAsync(userId, alarmId, cancellationToken))!.Value.Dto;
    }
}
