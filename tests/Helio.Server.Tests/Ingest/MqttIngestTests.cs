using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helio.Server.Features.Ingest;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Formatter;

namespace Helio.Server.Tests.Ingest;

/// <summary>A Helio subscribed to a real broker (mosquitto in CI, named by HELIO_TEST_MQTT=host:port), on a topic of its own.</summary>
public sealed class MqttApp() : HelioApp(Provider.Sqlite)
{
    public const string Variable = "HELIO_TEST_MQTT";

    public string TopicRoot { get; } = $"helio-test/{Guid.NewGuid():N}/ingest";

    public static (string Host, int Port)? Broker =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value && value.Split(':') is [var host, var port]
            ? (host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture))
            : null;

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        if (Broker is { } broker)
        {
            builder.UseSetting("Mqtt:Server", broker.Host);
            builder.UseSetting("Mqtt:Port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Mqtt:Topic", TopicRoot + "/#");
            builder.UseSetting("Mqtt:ClientId", "helio-test-" + Guid.NewGuid().ToString("N"));
            builder.UseSetting("Mqtt:ReconnectDelay", "00:00:00.200");
        }
    }
}

public sealed class MqttIngestTests(MqttApp app) : IClassFixture<MqttApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Broker, int Port)> BrokerAsync()
    {
        Assert.SkipUnless(MqttApp.Broker is not null, $"MQTT tests need {MqttApp.Variable}=host:port of a broker (CI starts mosquitto).");
        var mqtt = app.Services.GetServices<IHostedService>().OfType<MqttIngest>().Single();
        await Eventually.True(() => mqtt.Subscribed, "Helio subscribed to the broker");
        return MqttApp.Broker!.Value;
    }

    /// <summary>A plant with one inverter and an ingest key for it: the key and the inverter's serial.</summary>
    private async Task<(string Key, string Serial)> IngestKeyAsync()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Roof");
        var serial = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);
        var created = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/ingest-keys", new { name = "MQTT bridge" }, Ct);
        return ((await created.JsonAsync()).GetProperty("key").GetString()!, serial);
    }

    private static async Task<IMqttClient> ConnectAsync((string Host, int Port) broker, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithProtocolVersion(version).Build(), Ct);
        return client;
    }

    private static string Batch(string serial, string? key = null) => JsonSerializer.Serialize(new
    {
        key,
        readings = new[] { new { serialNumber = serial, timestamp = DateTimeOffset.UtcNow.ToString("O"), values = new { activePowerW = 4200.5 } } },
    });

    private async Task<int> StoredAsync(string serial) => (await StoredReadings.OfAsync(app, serial, Ct)).Count;

    /// <summary>Publishes with a response topic and returns Helio's answer.</summary>
    private async Task<JsonElement> RequestAsync(IMqttClient client, string payload, string? authorization, int waitSeconds = 20)
    {
        var responseTopic = $"{app.TopicRoot}-replies/{Guid.NewGuid():N}";
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == responseTopic)
            {
                answer.TrySetResult(JsonDocument.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)).RootElement.Clone());
            }
            return Task.CompletedTask;
        };
        await client.SubscribeAsync(responseTopic, cancellationToken: Ct);
        var message = new MqttApplicationMessageBuilder().WithTopic($"{app.TopicRoot}/garage").WithPayload(payload)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
            .WithResponseTopic(responseTopic).WithCorrelationData([1, 2, 3]);
        if (authorization is not null)
        {
            message.WithUserProperty("authorization", Encoding.UTF8.GetBytes(authorization).AsMemory());
        }
        await client.PublishAsync(message.Build(), Ct);
        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(waitSeconds), Ct);
    }

    [Fact]
    public async Task AMessageWithAKeyInItsUserProperty_IsStored_AndAnsweredOnItsResponseTopic()
    {
        var broker = await BrokerAsync();
        var (key, serial) = await IngestKeyAsync();
        using var client = await ConnectAsync(broker);

        var answer = await RequestAsync(client, Batch(serial), "Bearer " + key);

        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(1, await StoredAsync(serial));
    }

    [Fact]
    public async Task AnMqtt311Publisher_PutsItsKeyInTheMessage()
    {
        var broker = await BrokerAsync();
        var (key, serial) = await IngestKeyAsync();
        using var client = await ConnectAsync(broker, MqttProtocolVersion.V311);

        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"{app.TopicRoot}/legacy").WithPayload(Batch(serial, key))
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

        await Eventually.True(async () => await StoredAsync(serial) == 1, "the reading is stored");
    }

    [Fact]
    public async Task WithoutAValidKey_NothingIsStoredNorAnswered_BadJsonWithAKeyIsAnswered()
    {
        var broker = await BrokerAsync();
        var (key, serial) = await IngestKeyAsync();
        using var client = await ConnectAsync(broker);

        // A stranger gets no answer at all: Helio publishes nothing for someone without a key.
        await Assert.ThrowsAsync<TimeoutException>(() => RequestAsync(client, Batch(serial), "Bearer hik_revokedOrInventedKey00000000000000000000", waitSeconds: 3));
        var badJson = await RequestAsync(client, "{\"readings\": [", "Bearer " + key);

        Assert.Equal(400, badJson.GetProperty("status").GetInt32());
        Assert.Equal(0, await StoredAsync(serial));
    }
}
