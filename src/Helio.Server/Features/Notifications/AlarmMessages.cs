using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Telemetry;

namespace Helio.Server.Features.Notifications;

/// <summary>What an alarm event says on each channel: an e-mail, a push message, a webhook body. About equipment only:
/// no recipient's personal data goes into a push or webhook payload.</summary>
internal sealed record AlarmNews(AlarmEvent Event, Alarm Alarm, string PlantName, string TimeZone)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Verb => Event.Kind switch
    {
        AlarmEventKind.Cleared => "Cleared",
        AlarmEventKind.Reopened => "Again",
        AlarmEventKind.Flapping => "Flapping",
        _ => Severity,
    };

    public string Severity => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Alarm.Severity.ToString().ToLowerInvariant());

    public string Where => Alarm.DeviceSerial is { } serial ? $"{PlantName}, {serial}" : PlantName;

    public string LocalTime => TimeZoneInfo.ConvertTime(Event.At, Zones.Find(TimeZone)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + $" ({TimeZone})";

    public string Subject => $"[Helio] {Verb}: {Alarm.Title} — {Where}";

    public string EmailText(string baseUrl)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Headline}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Plant:    {PlantName}\n");
        if (Alarm.DeviceSerial is { } serial)
        {
            text.Append(CultureInfo.InvariantCulture, $"Device:   {serial}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"Severity: {Severity}\n");
        text.Append(CultureInfo.InvariantCulture, $"When:     {LocalTime}\n");
        if (Alarm.Occurrences > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"Times:    {Alarm.Occurrences} since {TimeZoneInfo.ConvertTime(Alarm.RaisedAt, Zones.Find(TimeZone)):yyyy-MM-dd HH:mm}\n");
        }
        if (Event.Kind != AlarmEventKind.Cleared && Alarm.Action is { } action)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nWhat to do: {action}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"\nWhy Helio decided this: {AlarmExplanation.FromJson(Alarm.Explanation).Summary}\n");
        text.Append(CultureInfo.InvariantCulture, $"\nDetails, history and a human review: {baseUrl}/alarms/{Alarm.Id}\n");
        text.Append(CultureInfo.InvariantCulture, $"Choose what you are told and when: {baseUrl}/settings/notifications\n");
        return text.ToString();
    }

    public string Headline => Event.Kind switch
    {
        AlarmEventKind.Cleared => $"The condition behind \"{Alarm.Title}\" has cleared.",
        AlarmEventKind.Reopened => $"\"{Alarm.Title}\" is back.",
        AlarmEventKind.Flapping => $"\"{Alarm.Title}\" keeps coming and going; Helio will not tell you again about it until it has been stable for a while.",
        _ => $"Helio raised an alarm: {Alarm.Title}.",
    };

    public string PushPayload() => JsonSerializer.Serialize(new
    {
        title = $"{Verb}: {Alarm.Title}",
        body = $"{Where} · {LocalTime}",
        url = $"/alarms/{Alarm.Id}",
        tag = Alarm.Id.ToString(),
    }, Json);

    public string WebhookPayload() => JsonSerializer.Serialize(new
    {
        id = $"evt_{Event.Id}",
        type = "alarm." + JsonNamingPolicy.KebabCaseLower.ConvertName(Event.Kind.ToString()),
        occurredAt = Event.At,
        alarm = new
        {
            id = Alarm.Id,
            plantId = Alarm.PlantId,
            plantName = PlantName,
            deviceSerial = Alarm.DeviceSerial,
            source = Alarm.Source,
            code = Alarm.Code,
            severity = Alarm.Severity,
            state = Alarm.State,
            title = Alarm.Title,
            action = Alarm.Action,
            raisedAt = Alarm.RaisedAt,
            occurrences = Alarm.Occurrences,
            timeZone = TimeZone,
        },
        explanation = AlarmExplanation.FromJson(Alarm.Explanation),
    }, Json);
}
