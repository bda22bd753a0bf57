using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Helio.Benchmarks.Telemetry;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Plants;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Helio.Benchmarks.Audit;

/// <summary>
/// <c>audit</c>: the real server (Program.cs's modules and pipeline) on a fresh database, over HTTP on loopback. An
/// owner with a plant, 20 people and 2 API accounts who access it. Measured before and after the trail is filled,
/// so the empty trail is the baseline of the same run: (a) the owner's access log, (b) the plant route as its owner
/// and as a shared viewer (whose views are recorded, coalesced), <c>GET /api/v1/me</c> as the request floor; and
/// (c) <see cref="AuditVerifier"/> over the first 1,000,000 entries and over all of them. Options: --entries,
/// --verify-entries, --requests, --provider sqlite|postgres (default: both, PostgreSQL when HELIO_BENCH_POSTGRES is set). The trail is written in
/// bulk into the migrated table (secondary indexes dropped and rebuilt from their own definitions), with the chain
/// computed by <see cref="AuditChain"/>, continuing the entries the server wrote itself: every 100th entry is about
/// the owner, the rest about 10,000 other people.
/// </summary>
internal static class AuditBenchmark
{
    public static async Task RunAsync(Options options, TextWriter output)
    {
        var total = options.Int("entries", 10_000_000);
        var verifyAt = Math.Min(total, options.Int("verify-entries", 1_000_000));
        var requests = options.Int("requests", 300);
        output.WriteLine($"audit: {total:N0} entries (1 in 100 about the owner), verify at {verifyAt:N0}, {requests} requests per kind");
        var only = options.Get("provider");
        if (only is null or "sqlite")
        {
            await RunOneAsync(DatabaseProvider.Sqlite, null, total, verifyAt, requests, output);
        }
        if (only is "sqlite")
        {
            return;
        }
        if (BenchHost.PostgresServer() is { } server)
        {
            var name = "helio_bench_audit";
            var connection = await BenchHost.CreatePostgresDatabaseAsync(server, name, CancellationToken.None);
            try
            {
                await RunOneAsync(DatabaseProvider.Postgres, connection, total, verifyAt, requests, output);
            }
            finally
            {
                await BenchHost.DropPostgresDatabaseAsync(server, name);
            }
        }
        else
        {
            output.WriteLine($"(PostgreSQL skipped: set {BenchHost.PostgresVariable})");
        }
    }

    private static async Task RunOneAsync(DatabaseProvider provider, string? postgres, int total, int verifyAt, int requests, TextWriter output)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("helio-bench-audit-").FullName;
        try
        {
            await using var app = WholeServer.Build(dataDirectory, postgres);
            await app.PrepareAsync(demo: false);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var world = await BenchWorld.CreateAsync(app.Services);
            using var owner = new HttpClient { BaseAddress = new Uri(address) };
            using var viewer = new HttpClient { BaseAddress = new Uri(address) };
            async Task SignInAsync()
            {
                owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await BenchWorld.TokenAsync(app.Services, world.OwnerId));
                viewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await BenchWorld.TokenAsync(app.Services, world.ViewerId));
            }
            await SignInAsync();
            // The pages as a browser gets them: signed in through the form, with the session cookie (it outlives the fill).
            using var ownerBrowser = await BenchWorld.BrowserAsync(address, BenchWorld.OwnerEmail);
            using var viewerBrowser = await BenchWorld.BrowserAsync(address, BenchWorld.ViewerEmail);
            // The viewer's first read is recorded; later ones within the hour are not (coalesced), as a dashboard's.
            (await viewer.GetAsync($"/api/v1/plants/{world.PlantId}")).EnsureSuccessStatusCode();
            output.WriteLine();
            output.WriteLine($"### {provider} (load average {File.ReadAllText("/proc/loadavg").Trim()})");

            var kinds = new (string Name, HttpClient Client, string Path)[]
            {
                ("`GET /api/v1/me` (floor)", owner, "/api/v1/me"),
                ("plant, as its owner `GET /api/v1/plants/{id}`", owner, $"/api/v1/plants/{world.PlantId}"),
                ("plant, as a shared viewer (view coalesced)", viewer, $"/api/v1/plants/{world.PlantId}"),
                ("access log, first page (50)", owner, "/api/v1/account/access-log"),
                ("page: plant `/plants/{id}`, as its owner", ownerBrowser, $"/plants/{world.PlantId}"),
                ("page: plant, as a shared viewer", viewerBrowser, $"/plants/{world.PlantId}"),
                ("page: \"Who accessed my data\" `/account/access-log`", ownerBrowser, "/account/access-log"),
            };
            var empty = await MeasureAsync(kinds, requests);

            var generator = new TrailGenerator(provider, app.Services, world);
            var watch = Stopwatch.StartNew();
            await generator.GrowToAsync(verifyAt);
            output.WriteLine($"generated {verifyAt:N0} entries in {watch.Elapsed.TotalSeconds:F0} s");
            var small = await VerifyAsync(app.Services);
            watch.Restart();
            await generator.GrowToAsync(total);
            output.WriteLine($"generated up to {total:N0} entries in {watch.Elapsed.TotalSeconds:F0} s more; database {Size(provider, dataDirectory, app.Services)}");

            // A page deep in the owner's history: its cursor is the Seq half-way down the trail.
            var deep = ("access log, a page half-way back (cursor)", owner, $"/api/v1/account/access-log?cursor={total / 2}");
            await SignInAsync();
            var full = await MeasureAsync([.. kinds, deep], requests);
            var large = await VerifyAsync(app.Services);

            output.WriteLine();
            output.WriteLine($"| request | trail | calls | p50 ms | p95 ms | p99 ms | max ms |");
            output.WriteLine($"|---|---|---|---|---|---|---|");
            foreach (var (name, figures) in empty)
            {
                output.WriteLine(Row(name, "empty", figures));
                output.WriteLine(Row(name, $"{total:N0}", full[name]));
            }
            output.WriteLine(Row(deep.Item1, $"{total:N0}", full[deep.Item1]));
            output.WriteLine();
            output.WriteLine($"| `audit verify` | entries | wall time | entries/s | benchmark process CPU | intact |");
            output.WriteLine($"|---|---|---|---|---|---|");
            foreach (var (v, cpu) in new[] { small, large })
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {provider} | {v.Count:N0} | {v.Took.TotalSeconds:F2} s | {v.Count / v.Took.TotalSeconds:N0} | {cpu.TotalSeconds:F2} s | {v.Intact} |"));
            }
            output.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
            await app.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>The verification and the CPU time this process spent on it (the machine is shared, so wall time varies
    /// with the neighbours; the server is idle meanwhile, so the process's CPU time is the verifier's).</summary>
    private static async Task<(AuditVerification Result, TimeSpan Cpu)> VerifyAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(null, CancellationToken.None);
        return (result, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    /// <summary>Each kind called in turn (interleaved, so all see the same machine), after 20 warm-up calls each.</summary>
    private static async Task<Dictionary<string, double[]>> MeasureAsync((string Name, HttpClient Client, string Path)[] kinds, int requests)
    {
        var times = kinds.ToDictionary(k => k.Name, _ => new List<double>());
        for (var i = -20; i < requests; i++)
        {
            foreach (var (name, client, path) in kinds)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                if (i >= 0)
                {
                    times[name].Add(elapsed);
                }
            }
        }
        return times.ToDictionary(t => t.Key, t => t.Value.Order().ToArray());
    }

    private static string Row(string name, string trail, double[] sorted) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {trail} | {sorted.Length} | {At(sorted, 0.50):F2} | {At(sorted, 0.95):F2} | {At(sorted, 0.99):F2} | {sorted[^1]:F2} |");

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private static string Size(DatabaseProvider provider, string dataDirectory, IServiceProvider services)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var bytes = Directory.GetFiles(dataDirectory, "helio.db*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            return $"{bytes / 1e9:F1} GB";
        }
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var bytesPg = db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").AsEnumerable().First();
        return $"{bytesPg / 1e9:F1} GB";
    }
}

/// <summary>The owner, their plant, and who accesses it: 10 support engineers, 5 installer staff, 5 shared viewers
/// (people, with encrypted e-mail addresses as registration stores them) and 2 API accounts.</summary>
internal sealed record BenchWorld(Guid PlantId, Guid OwnerPseudonym, Guid[] Actors, Guid[] ApiAccounts, Guid OwnerId, Guid ViewerId)
{
    public const string OwnerEmail = "owner@bench.example";

    public const string Password = "bench-password-1234";

    public static string PersonEmail(int i) => $"person{i}@bench.example";

    /// <summary>The shared viewer (the last person) by address, for the pages' sign-in form.</summary>
    public static string ViewerEmail => PersonEmail(19);

    /// <summary>A browser's session: signed in through the sign-in page's form (antiforgery token and all), cookie kept.</summary>
    public static async Task<HttpClient> BrowserAsync(string address, string email)
    {
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(address) };
        var form = await browser.GetStringAsync("/account/sign-in");
        var fields = Regex.Matches(form, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .GroupBy(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));
        fields["Input.Login"] = email;
        fields["Input.Password"] = Password;
        var signedIn = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"signing in {email} through the form answered {(int)signedIn.StatusCode}");
        }
        return browser;
    }

    /// <summary>A fresh access token (they live minutes; filling the trail takes longer).</summary>
    public static async Task<string> TokenAsync(IServiceProvider services, Guid userId)
    {
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Users.SingleAsync(u => u.Id == userId);
        return (await scope.ServiceProvider.GetRequiredService<Sessions>().StartApiSessionAsync(user, CancellationToken.None)).AccessToken;
    }

    public static async Task<BenchWorld> CreateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var blindIndex = scope.ServiceProvider.GetRequiredService<BlindIndex>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();
        var now = DateTimeOffset.UtcNow;
        async Task<User> PersonAsync(string email)
        {
            var id = Guid.NewGuid();
            db.UserDataKeys.Add(protector.CreateDataKey(id));
            var user = new User
            {
                Id = id, EmailIndex = blindIndex.Email(AccountNormalizer.Email(email)), EmailCipher = await protector.EncryptAsync(id, UserStore.EmailField, email),
                NameCipher = await protector.EncryptAsync(id, RegisterAccount.NameField, "Bench Person"), Country = "DE", EmailConfirmed = true,
                SecurityStamp = "bench", ConcurrencyStamp = "bench", AcceptedPolicyVersion = "1.0", CreatedAt = now,
            };
            user.PasswordHash = hasher.HashPassword(user, Password);
            db.Users.Add(user);
            return user;
        }
        var owner = await PersonAsync(OwnerEmail);
        var plant = new Plant { Id = Guid.NewGuid(), OwnerId = owner.Id, Name = "Bench roof", Latitude = 48.1, Longitude = 11.6, TimeZone = "Europe/Berlin", CapacityKwp = 9.9, CreatedAt = now, UpdatedAt = now };
        db.Plants.Add(plant);
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Bench Solar GmbH", CreatedBy = owner.Id, CreatedAt = now };
        db.Organisations.Add(organisation);
        var people = new List<User>();
        for (var i = 0; i < 20; i++)
        {
            var person = await PersonAsync(PersonEmail(i));
            people.Add(person);
            if (i < 10)
            {
                db.UserRoles.Add(new UserRole { UserId = person.Id, Role = Roles.Support });
            }
            else if (i < 15)
            {
                db.OrganisationMembers.Add(new OrganisationMember { OrganisationId = organisation.Id, UserId = person.Id, Role = OrganisationRole.Installer, JoinedAt = now });
            }
            else
            {
                db.PlantShares.Add(new PlantShare { Id = Guid.NewGuid(), PlantId = plant.Id, UserId = person.Id, Scope = ShareScope.View, GrantedBy = owner.Id, CreatedAt = now });
            }
        }
        var accounts = Enumerable.Range(0, 2).Select(i => new Helio.Server.Features.ApiAccounts.ApiAccount
        {
            Id = Guid.NewGuid(), Name = $"Bench integration {i}", OwnerUserId = owner.Id, ClientId = $"bench-{i}-{Guid.NewGuid():N}", CreatedAt = now,
        }).ToList();
        db.ApiAccounts.AddRange(accounts);
        await db.SaveChangesAsync();

        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var ownerPseudonym = await trail.PseudonymAsync(owner.Id, CancellationToken.None);
        var actors = new List<Guid>();
        foreach (var person in people)
        {
            actors.Add(await trail.PseudonymAsync(person.Id, CancellationToken.None));
        }
        await db.SaveChangesAsync();
        return new BenchWorld(plant.Id, ownerPseudonym, [.. actors], [.. accounts.Select(a => a.Id)], owner.Id, people[^1].Id);
    }
}
