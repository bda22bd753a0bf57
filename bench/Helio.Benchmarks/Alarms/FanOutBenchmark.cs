using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Helio.Benchmarks.Telemetry;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Notifications;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Hosting;
using Helio.Server.Platform.Encryption;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Helio.Benchmarks.Alarms;

/// <summary>
/// <c>alarms-fanout</c>: the whole server (the modules Program.cs adds, with its background workers) on a fresh
/// database, one owner per plant with a confirmed, encrypted e-mail address and a webhook; 10 alarms raised on each
/// plant through the lifecycle (AlarmBook.ApplyAsync, as the reading evaluator raises them); then the real notifier,
/// mail outbox worker and delivery worker deliver to an SMTP server and an HTTP receiver in this process. Each alarm
/// must arrive exactly once on each channel (mail subject and webhook body name its device, unique per alarm), with
/// a valid webhook signature. One owner per plant and 10 alarms a plant keep the rate limits (20 per plant, 100 per
/// user an hour) out of what is measured.
/// </summary>
internal static class FanOutBenchmark
{
    private const string Secret = "bench-webhook-secret-0123456789abcdef";

    public static async Task RunAsync(Options options, TextWriter output)
    {
        var plants = options.Int("plants", 1000);
        var perPlant = options.Int("alarms-per-plant", 10);
        var expected = plants * perPlant;
        var timeout = TimeSpan.FromMinutes(options.Int("timeout-minutes", 15));
        // Another SMTP server (e.g. Debian's python3-aiosmtpd) instead of the in-process one: mails are then counted
        // as sent in the outbox, and the other server's own count is the check.
        var externalSmtp = options.Int("smtp-port", 0);
        output.WriteLine($"alarms-fanout: {plants:N0} plants (one owner each) x {perPlant} alarms = {expected:N0} alarms, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");

        await using var smtp = SmtpSink.Start();
        await using var hooks = await HookSink.StartAsync();
        var directory = Directory.CreateTempSubdirectory("helio-bench-fanout-").FullName;
        var postgres = BenchHost.PostgresServer();
        string? database = null;
        try
        {
            string? connection = null;
            if (postgres is not null)
            {
                database = "helio_bench_fanout_" + Guid.NewGuid().ToString("N")[..8];
                connection = await BenchHost.CreatePostgresDatabaseAsync(postgres, database, CancellationToken.None);
            }
            var app = BuildServer(directory, connection, externalSmtp > 0 ? externalSmtp : smtp.Port);
            await app.PrepareAsync(demo: false);
            await app.StartAsync();
            try
            {
                var seed = Stopwatch.StartNew();
                var plantIds = await SeedAsync(app.Services, plants, hooks.Url);
                output.WriteLine($"{(connection is null ? "SQLite" : "PostgreSQL")}: seeded {plants:N0} owners, plants and webhooks in {seed.Elapsed.TotalSeconds:F1} s");

                var clock = Stopwatch.StartNew();
                await RaiseAsync(app.Services, plantIds, perPlant);
                var raised = clock.Elapsed;
                var mailsAt = TimeSpan.Zero;
                var hooksAt = TimeSpan.Zero;
                while (clock.Elapsed < timeout && (mailsAt == TimeSpan.Zero || hooksAt == TimeSpan.Zero))
                {
                    await Task.Delay(200);
                    if (mailsAt == TimeSpan.Zero && (externalSmtp > 0 ? await SentAsync(app.Services) : smtp.Distinct) >= expected)
                    {
                        mailsAt = clock.Elapsed;
                    }
                    if (hooksAt == TimeSpan.Zero && hooks.Distinct >= expected)
                    {
                        hooksAt = clock.Elapsed;
                    }
                }
                // Anything sent twice would come now.
                await Task.Delay(TimeSpan.FromSeconds(10));

                output.WriteLine();
                output.WriteLine("| channel | expected | received | distinct | lost | duplicated | bad signature | all in after | per second |");
                output.WriteLine("|---|---|---|---|---|---|---|---|---|");
                if (externalSmtp > 0)
                {
                    var sent = await SentAsync(app.Services);
                    Row(output, $"e-mail (SMTP on port {externalSmtp}: sent, by the outbox)", expected, sent, sent, 0, mailsAt);
                }
                else
                {
                    Row(output, "e-mail (SMTP)", expected, smtp.Received, smtp.Distinct, 0, mailsAt);
                }
                Row(output, "webhook (HTTP)", expected, hooks.Received, hooks.Distinct, hooks.BadSignatures, hooksAt);
                output.WriteLine();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raising the {expected:N0} alarms (AlarmBook.ApplyAsync, {perPlant} a call) took {raised.TotalSeconds:F1} s; times are from the first raise"));
                var ok = (externalSmtp > 0 || (smtp.Received == expected && smtp.Distinct == expected)) && hooks.Received == expected && hooks.Distinct == expected && hooks.BadSignatures == 0;
                output.WriteLine(ok ? "none lost, none duplicated" : "FAILED: see the table");
                if (!ok)
                {
                    Environment.ExitCode = 1;
                }
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            if (database is not null)
            {
                await BenchHost.DropPostgresDatabaseAsync(postgres!, database);
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<int> SentAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().OutboxMails.CountAsync(m => m.SentAt != null && m.Template == "alarm");
    }

    private static void Row(TextWriter output, string channel, int expected, int received, int distinct, int badSignatures, TimeSpan allIn) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {channel} | {expected:N0} | {received:N0} | {distinct:N0} | {expected - distinct:N0} | {received - distinct:N0} | {badSignatures} | {(allIn == TimeSpan.Zero ? "not all in" : $"{allIn.TotalSeconds:F1} s")} | {(allIn == TimeSpan.Zero ? "—" : (distinct / allIn.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture))} |"));

    private static WebApplication BuildServer(string dataDirectory, string? postgres, int smtpPort) => WholeServer.Build(dataDirectory, postgres, new Dictionary<string, string?>
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
        ["Notifications:AllowPrivateTargets"] = "true",
    });

    /// <summary>An owner per plant, as registration makes one (data key, encrypted address and name, confirmed), with
    /// a plant and a webhook to the receiver (URL and secret encrypted as the webhook API stores them).</summary>
    private static async Task<List<Guid>> SeedAsync(IServiceProvider services, int plants, string hookUrl)
    {
        var ids = new List<Guid>();
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < plants; start += 200)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
            for (var i = start; i < Math.Min(plants, start + 200); i++)
            {
                var userId = Guid.NewGuid();
                db.UserDataKeys.Add(protector.CreateDataKey(userId));
                db.Users.Add(new User
                {
                    Id = userId,
                    EmailIndex = userId.ToByteArray(),
                    EmailCipher = await protector.EncryptAsync(userId, UserStore.EmailField, $"owner{i}@bench.example"),
                    NameCipher = await protector.EncryptAsync(userId, RegisterAccount.NameField, $"Owner {i}"),
                    Country = "DE",
                    EmailConfirmed = true,
                    SecurityStamp = "bench",
                    ConcurrencyStamp = "bench",
                    AcceptedPolicyVersion = "1.0",
                    CreatedAt = now,
                });
                var plantId = Guid.NewGuid();
                db.Plants.Add(new Plant { Id = plantId, OwnerId = userId, Name = $"Plant {i}", Latitude = 48 + (i % 100 * 0.01), Longitude = 11, TimeZone = "Europe/Berlin", CapacityKwp = 10, CreatedAt = now, UpdatedAt = now });
                db.Webhooks.Add(new Webhook
                {
                    Id = Guid.NewGuid(),
                    UserId = userId,
                    Name = "Bench receiver",
                    UrlCipher = await protector.EncryptAsync(userId, SendWebhook.UrlField, hookUrl),
                    SecretCipher = await protector.EncryptAsync(userId, SendWebhook.SecretField, Secret),
                    MinSeverity = AlarmSeverity.Info,
                    CreatedAt = now,
                });
                ids.Add(plantId);
            }
            await db.SaveChangesAsync();
        }
        return ids;
    }

    /// <summary>Each plant's alarms in one call, as the evaluator applies a batch: devices "P{plant}-{k}", unique per alarm.</summary>
    private static async Task RaiseAsync(IServiceProvider services, List<Guid> plantIds, int perPlant)
    {
        var explanation = new AlarmExplanation("bench", "A benchmark alarm.", new Dictionary<string, string>(), new Dictionary<string, string>(), DateTimeOffset.UtcNow);
        for (var p = 0; p < plantIds.Count; p++)
        {
            var changes = Enumerable.Range(0, perPlant)
                .Select(k => AlarmChange.Raise(new AlarmSignal(plantIds[p], $"P{p}-{k}", AlarmSource.Fault, "ID05", AlarmSeverity.Major, "Leakage current fault", null, explanation)))
                .ToList();
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AlarmBook>().ApplyAsync(changes, CancellationToken.None);
        }
    }

    /// <summary>An SMTP server on a loopback port counting messages by subject (which names the alarm's device).</summary>
    private sealed class SmtpSink : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, int> subjects = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource stop = new();
        private Task running = Task.CompletedTask;
        private int received;

        public int Port { get; private init; }

        public int Received => Volatile.Read(ref received);

        public int Distinct => subjects.Count;

        public static SmtpSink Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var sink = new SmtpSink { Port = port };
            var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
            var provider = new SmtpServer.ComponentModel.ServiceProvider();
            provider.Add(new Store(sink));
            sink.running = new SmtpServer.SmtpServer(options, provider).StartAsync(sink.stop.Token);
            return sink;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
            stop.Dispose();
        }

        private sealed class Store(SmtpSink sink) : MessageStore
        {
            public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
            {
                await using var stream = new MemoryStream(buffer.ToArray());
                var message = await MimeMessage.LoadAsync(stream, cancellationToken);
                Interlocked.Increment(ref sink.received);
                sink.subjects.AddOrUpdate(message.Subject ?? "", 1, (_, n) => n + 1);
                return SmtpResponse.Ok;
            }
        }
    }

    /// <summary>An HTTP receiver counting webhook deliveries by the alarm's device, checking each signature.</summary>
    private sealed class HookSink : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, int> devices = new(StringComparer.Ordinal);
        private WebApplication? app;
        private int received;
        private int badSignatures;

        public string Url { get; private set; } = "";

        public int Received => Volatile.Read(ref received);

        public int Distinct => devices.Count;

        public int BadSignatures => Volatile.Read(ref badSignatures);

        public static async Task<HookSink> StartAsync()
        {
            var sink = new HookSink();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            sink.app = builder.Build();
            sink.app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                if (!WebhookSignature.Verify(Secret, request.Headers["Helio-Timestamp"], body, request.Headers["Helio-Signature"], DateTimeOffset.UtcNow))
                {
                    Interlocked.Increment(ref sink.badSignatures);
                }
                using var json = JsonDocument.Parse(body);
                var device = json.RootElement.GetProperty("alarm").GetProperty("deviceSerial").GetString() ?? "";
                Interlocked.Increment(ref sink.received);
                sink.devices.AddOrUpdate(device, 1, (_, n) => n + 1);
                return Results.Ok();
            });
            await sink.app.StartAsync();
            sink.Url = sink.app.Urls.First() + "/hook";
            return sink;
        }

        public async ValueTask DisposeAsync()
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }
}
