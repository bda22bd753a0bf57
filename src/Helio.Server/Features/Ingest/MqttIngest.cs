using System.Text.Json;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Helio.Server.Features.Ingest;

/// <summary>
/// Takes readings from an MQTT broker (docs/ingest.md, "MQTT"): each message is an ingest batch, authenticated by an
/// ingest key in the MQTT 5 user property "authorization" ("Bearer hik_…") or, for MQTT 3.1.1 publishers, a "key"
/// field in the JSON. A message with a valid key that names a response topic gets the same answer HTTP would give;
/// without a valid key nothing is published, so strangers cannot make Helio publish anywhere. A batch that cannot be
/// stored is retried for a while (holding the next messages back); if it still fails, the message is left
/// unacknowledged and the connection is opened again, so that the broker delivers it again.
/// </summary>
internal sealed partial class MqttIngest(IOptions<MqttOptions> options, IServiceScopeFactory scopes, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<MqttIngest> logger) : BackgroundService
{
    /// <summary>The largest message taken, as for HTTP request bodies.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    /// <summary>Attempts to store one batch before giving the message back to the broker (1 + 2 + 4 + 8 s apart).</summary>
    private const int StoreAttempts = 5;

    /// <summary>A broker that accepts TCP but never answers must not hold the connection loop forever.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly MqttOptions settings = options.Value;
    private readonly JsonSerializerOptions jsonOptions = json.Value.SerializerOptions;
    private volatile bool reconnect;

    /// <summary>Whether the subscription is in place (for health and tests).</summary>
    public bool Subscribed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e => ReceiveAsync(client, e, stoppingToken);
        client.DisconnectedAsync += _ =>
        {
            Subscribed = false;
            return Task.CompletedTask;
        };
        var connect = ConnectOptions();
        var subscribe = factory.CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(settings.SubscriptionTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        // Check the connection every few seconds and open it again when it is gone; the broker keeps the session
        // (and the messages that arrived meanwhile, at QoS 1) for an hour.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (reconnect)
                {
                    // A message could not be stored: hang up, so that the broker delivers it again on the next connect.
                    reconnect = false;
                    await client.DisconnectAsync(cancellationToken: stoppingToken);
                }
                if (!await client.TryPingAsync(stoppingToken))
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    timeout.CancelAfter(ConnectTimeout);
                    await client.ConnectAsync(connect, timeout.Token);
                    await client.SubscribeAsync(subscribe, timeout.Token);
                    Subscribed = true;
                    LogConnected(logger, settings.Server!, settings.EffectivePort, settings.SubscriptionTopic);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Subscribed = false;
                LogConnectFailed(logger, settings.Server!, settings.EffectivePort, e.Message);
            }
            await Task.Delay(settings.ReconnectDelay, stoppingToken);
        }
    }

    private MqttClientOptions ConnectOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Server, settings.EffectivePort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(string.IsNullOrWhiteSpace(settings.ClientId) ? "helio-" + Environment.MachineName : settings.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithMaximumPacketSize(MaxMessageBytes + 64 * 1024);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            builder.WithCredentials(settings.Username, settings.Password);
        }
        if (settings.UseTls)
        {
            builder.WithTlsOptions(o =>
            {
                o.UseTls();
                if (settings.AllowUntrustedCertificates)
                {
                    o.WithCertificateValidationHandler(_ => true);
                }
            });
        }
        return builder.Build();
    }

    private async Task ReceiveAsync(IMqttClient client, MqttApplicationMessageReceivedEventArgs e, CancellationToken stoppingToken)
    {
        var message = e.ApplicationMessage;
        object? answer = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                answer = await IngestAsync(message, stoppingToken);
                break;
            }
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                LogStoreFailed(logger, attempt, failure);
                if (attempt == StoreAttempts)
                {
                    e.ProcessingFailed = true;
                    reconnect = true;
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), stoppingToken);
            }
        }
        if (answer is not null && !string.IsNullOrEmpty(message.ResponseTopic))
        {
            try
            {
                var reply = new MqttApplicationMessageBuilder()
                    .WithTopic(message.ResponseTopic)
                    .WithPayload(JsonSerializer.SerializeToUtf8Bytes(answer, answer.GetType(), jsonOptions))
                    .WithContentType("application/json")
                    .WithCorrelationData(message.CorrelationData)
                    .Build();
                await client.PublishAsync(reply, stoppingToken);
            }
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                // The readings are stored; a reply that cannot be sent (bad topic, connection gone) changes nothing.
                LogReplyFailed(logger, failure.Message);
            }
        }
    }

    /// <summary>
    /// The answer HTTP would give (an <see cref="IngestResponse"/> or a problem), or null when the message has no
    /// valid key: nothing is answered to a stranger. Bad input is answered and acknowledged; only a failure to
    /// store throws.
    /// </summary>
    private async Task<object?> IngestAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        MqttIngestMessage? body = null;
        Microsoft.AspNetCore.Mvc.ProblemDetails? malformed = null;
        if (message.Payload.Length > MaxMessageBytes)
        {
            malformed = Problem(StatusCodes.Status413PayloadTooLarge, $"The message is larger than {MaxMessageBytes} bytes.");
        }
        else
        {
            try
            {
                var reader = new Utf8JsonReader(message.Payload);
                body = JsonSerializer.Deserialize<MqttIngestMessage>(ref reader, jsonOptions);
            }
            catch (JsonException e)
            {
                malformed = Problem(StatusCodes.Status400BadRequest, $"The message is not valid JSON for an ingest batch (at {e.Path ?? "$"}).");
            }
        }
        var authorization = message.UserProperties?.FirstOrDefault(p => p.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase))?.ReadValueAsString()
            ?? (body?.Key is { } key ? "Bearer " + key : null);
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<IngestKeyCheck>().PlantOfAsync(authorization, cancellationToken) is not { } plantId)
        {
            LogRefused(logger, "no valid ingest key");
            return null;
        }
        if (malformed is not null)
        {
            LogRefused(logger, "malformed or oversized message");
            return malformed;
        }
        if (body?.Readings is not { Count: > 0 } readings)
        {
            return Problem(StatusCodes.Status400BadRequest, "readings: Required: at least one reading.");
        }
        if (readings.Count > IngestReadings.MaxReadings)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"At most {IngestReadings.MaxReadings} readings per message.");
        }
        var response = await scope.ServiceProvider.GetRequiredService<IngestReadings>().HandleAsync("mqtt", plantId, readings, cancellationToken);
        LogIngested(logger, response.Accepted, response.Duplicates, response.Refused);
        return response;
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Problem(int status, string title) => new() { Status = status, Title = title };

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT ingest subscribed to {Topic} on {Server}:{Port}")]
    private static partial void LogConnected(ILogger logger, string server, int port, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT ingest cannot reach {Server}:{Port}: {Reason}; trying again")]
    private static partial void LogConnectFailed(ILogger logger, string server, int port, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT ingest could not store a message (attempt {Attempt} of 5); after the last it is left to the broker to deliver again")]
    private static partial void LogStoreFailed(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT ingest could not send its answer: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, string reason);

    // Debug: anyone who may publish to the topic can send these, and they must not flood the log.
    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT ingest message refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT ingest message: {Accepted} accepted, {Duplicates} duplicates, {Refused} refused")]
    private static partial void LogIngested(ILogger logger, int accepted, int duplicates, int refused);
}

/// <summary>An MQTT ingest message: the HTTP batch, plus the key for publishers without MQTT 5 user properties.</summary>
internal sealed record MqttIngestMessage(string? Key, IReadOnlyList<IngestReadingRequest?>? Readings);
