using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Notifications;
using Helio.Server.Features.Privacy.Deletion;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Tests.Alarms;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Deletion (GDPR Art. 17) and account cancellation through the API, end to end: the request with the password, the
/// code from the real mailbox, the background job, the recipients' mails and the signed webhook, and the raw rows after.
/// </summary>
public abstract class DeletionTests(PrivacyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deletion_NotifiesEveryRecipient_ThenErasesEverything_AndCompletesWithTheStatement()
    {
        app.RequireAvailable();
        await using var receiver = await WebhookReceiver.StartAsync();
        var person = await app.RegisterOwnerAsync(phone: Owners.UniquePhone(), name: "Delia Gone");
        var personId = await person.UserIdAsync();
        var plant = (await (await person.Client.PostAsJsonAsync("/api/v1/plants",
            new { name = "Delia's roof", latitude = 1, longitude = 1, timeZone = "UTC", capacityKwp = 3, address = "Löschweg 7" }, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var inverter = "SR1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        (await person.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = inverter, kind = "inverter" }, Ct)).EnsureSuccessStatusCode();
        var hook = await (await person.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "Home", url = receiver.Url }, Ct)).JsonAsync();
        var secret = hook.GetProperty("secret").GetString()!;
        var ownAccount = await person.OpenApiAccountAsync("Delia's dashboard");
        await person.AssociateAsync(ownAccount, plant);
        // An installer: the plant is shared with its organisation, and its admin's API account reads the plant.
        var installer = await app.RegisterOwnerAsync();
        var organisation = await installer.CreateOrganisationAsync("Sunny Installers");
        await person.ShareWithOrganisationAsync(plant, organisation, "manage");
        var installerAccount = await installer.OpenApiAccountAsync("Installer fleet sync");
        await installer.AssociateAsync(installerAccount, plant);
        var ciphertexts = await CiphertextsAsync(personId);

        var request = await app.VerifiedRequestAsync(person, new { kind = "deletion", ground = "no-longer-used" });

        await Eventually.True(async () => !await app.UserExistsAsync(personId), "the account was never erased");
        var notices = app.Mail.To(installer.Email).Where(m => m.Subject == "[Helio] Please delete data of an erased account").Select(m => m.TextBody!).ToList();
        Assert.Equal(2, notices.Count);
        Assert.Contains(notices, n => n.Contains("Sunny Installers", StringComparison.Ordinal) && n.Contains("\"Delia's roof\"", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.Contains("\"Installer fleet sync\"", StringComparison.Ordinal));
        Assert.All(notices, n => Assert.DoesNotContain("Delia Gone", n, StringComparison.Ordinal));
        var confirmation = Assert.Single(app.Mail.To(person.Email), m => m.Subject == "[Helio] Your personal data is being erased").TextBody!;
        Assert.Contains("Kept, and why:", confirmation, StringComparison.Ordinal);
        Assert.Contains("17(3)(e)", confirmation, StringComparison.Ordinal);
        Assert.Contains("\"Delia's dashboard\"", confirmation, StringComparison.Ordinal);
        var delivered = await receiver.WaitForAsync(r => r.Body.Contains(SendErasureNotices.WebhookEvent, StringComparison.Ordinal));
        Assert.Equal(SendErasureNotices.WebhookEvent, JsonDocument.Parse(delivered.Body).RootElement.GetProperty("type").GetString());
        Assert.True(WebhookSignature.Verify(secret, delivered.Header("Helio-Timestamp"), delivered.Body, delivered.Header("Helio-Signature"), app.Clock.GetUtcNow()));

        // Gone: no sign-in, no token, no third party.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = person.Email, password = person.Password }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal("invalid_client", (await (await app.RequestTokenAsync(ownAccount.ClientId, ownAccount.Secret)).JsonAsync()).GetProperty("error").GetString());
        var installerApi = await app.ApiTokenClientAsync(installerAccount);
        Assert.Equal(HttpStatusCode.NotFound, (await installerApi.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);

        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        // The request's record is all that still carries the id, which resolves to no one (ADR 0026).
        Assert.Equal(["privacy_requests.UserId", "privacy_request_events.ActorId"],
            await StoredValues.ColumnsHoldingAsync(db, type => type == typeof(Guid) ? personId : null));
        foreach (var value in new[] { person.Email, "Delia Gone", person.Phone!, "Löschweg 7" })
        {
            Assert.Empty(await StoredValues.ColumnsHoldingAsync(db, type => type == typeof(string) ? value : null));
        }
        Assert.False(await db.UserDataKeys.AnyAsync(k => k.UserId == personId, Ct));
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        foreach (var (field, cipher) in ciphertexts)
        {
            await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.DecryptAsync(personId, field, cipher, Ct));
        }
        var stored = await db.PrivacyRequests.AsNoTracking().SingleAsync(r => r.Id == request, Ct);
        Assert.Equal(RequestState.Completed, stored.State);
        var lines = await db.PrivacyRequestEvents.AsNoTracking().Where(e => e.RequestId == request).OrderBy(e => e.At).ThenBy(e => e.Kind).ToListAsync(Ct);
        var started = JsonSerializer.Deserialize<Dictionary<string, string>>(Assert.Single(lines, l => l.Kind == RequestEventKind.Started).Data!)!;
        Assert.Equal(("1", "1", "1"), (started["organisationsNotified"], started["apiAccountOwnersNotified"], started["webhooksNotified"]));
        var completed = JsonSerializer.Deserialize<Dictionary<string, string>>(Assert.Single(lines, l => l.Kind == RequestEventKind.Completed).Data!)!;
        Assert.Contains("data key", completed["erased"], StringComparison.Ordinal);
        Assert.Contains("audit trail", completed["kept"], StringComparison.Ordinal);
        Assert.True((await app.VerifyAuditAsync()).Intact);

        // What a privacy officer reads afterwards: the request, completed, with the statement, and "a former user".
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var console = await (await officer.Client.GetAsync($"/api/v1/privacy/requests/{request}", Ct)).JsonAsync();
        Assert.Equal("completed", console.GetProperty("request").GetProperty("state").GetString());
        Assert.Equal("a former user", console.GetProperty("request").GetProperty("requester").GetString());
        Assert.Contains(console.GetProperty("history").EnumerateArray(), l => l.GetProperty("event").GetString() == "completed"
            && l.GetProperty("facts").GetProperty("kept").GetString()!.Contains("17(3)(e)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_SigningInDuringTheGracePeriod_WithdrawsIt()
    {
        app.RequireAvailable();
        var person = await app.RegisterOwnerAsync();
        var personId = await person.UserIdAsync();

        var request = await app.VerifiedRequestAsync(person, new { kind = "cancellation" });

        var cancelled = await app.Mail.WaitForAsync(person.Email, "[Helio] Your account cancellation request is answered");
        Assert.Contains("It will be erased on", cancelled.TextBody, StringComparison.Ordinal);
        // Every session ended: the way back in is signing in.
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = person.RefreshToken }, Ct)).StatusCode);
        app.Clock.MoveTo(app.Clock.GetUtcNow().AddDays(13));

        var back = app.WithToken((await app.TokenAsync(person.Email, person.Password)).AccessToken);

        await app.Mail.WaitForAsync(person.Email, "[Helio] Your account cancellation is withdrawn");
        var mine = await (await back.GetAsync($"/api/v1/me/requests/{request}", Ct)).JsonAsync();
        Assert.Equal("completed", mine.GetProperty("state").GetString());
        Assert.Contains(mine.GetProperty("history").EnumerateArray(), l => l.GetProperty("event").GetString() == "withdrawn");
        app.Clock.MoveTo(app.Clock.GetUtcNow().AddDays(30));
        await app.RunRetentionAsync();
        Assert.True(await app.UserExistsAsync(personId));
        Assert.Contains(await app.AuditEntriesAsync(), e => e.Action == AuditActions.CancellationWithdrawn);
        app.Clock.Reset();
    }

    [Fact]
    public async Task Cancellation_WithoutASignIn_IsErasedAfterTheGracePeriod_RecipientsAreTold_AndTheSerialIsFree()
    {
        app.RequireAvailable();
        await using var receiver = await WebhookReceiver.StartAsync();
        var person = await app.RegisterOwnerAsync();
        var personId = await person.UserIdAsync();
        var plant = await person.CreatePlantAsync("Cancelled roof");
        var serial = "SR1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        (await person.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct)).EnsureSuccessStatusCode();
        (await person.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "Home", url = receiver.Url }, Ct)).EnsureSuccessStatusCode();
        var installer = await app.RegisterOwnerAsync();
        await person.ShareWithOrganisationAsync(plant, await installer.CreateOrganisationAsync("Cancel Installers"), "manage");
        var request = await app.VerifiedRequestAsync(person, new { kind = "cancellation" });
        var start = app.Clock.GetUtcNow();

        app.Clock.MoveTo(start.AddDays(13));
        await app.RunRetentionAsync();
        Assert.True(await app.UserExistsAsync(personId));
        Assert.DoesNotContain(app.Mail.To(installer.Email), m => m.Subject == "[Helio] Please delete data of an erased account");

        app.Clock.MoveTo(start.AddDays(14).AddMinutes(1));
        await app.RunRetentionAsync();

        // The same two steps as a deletion request: everyone told first, then the erasure.
        await Eventually.True(async () => !await app.UserExistsAsync(personId), "the cancelled account was never erased");
        var notice = Assert.Single(app.Mail.To(installer.Email), m => m.Subject == "[Helio] Please delete data of an erased account").TextBody!;
        Assert.Contains("\"Cancelled roof\", shared with Cancel Installers", notice, StringComparison.Ordinal);
        Assert.Contains("after they cancelled their account", notice, StringComparison.Ordinal);
        var last = Assert.Single(app.Mail.To(person.Email), m => m.Subject == "[Helio] Your personal data is being erased").TextBody!;
        Assert.Contains("grace period of your account cancellation", last, StringComparison.Ordinal);
        // Helio answered it alone: no "with our privacy officer" acknowledgement.
        Assert.DoesNotContain(app.Mail.To(person.Email), m => m.Subject!.StartsWith("[Helio] We received your", StringComparison.Ordinal));
        var delivered = await receiver.WaitForAsync(r => r.Body.Contains(SendErasureNotices.WebhookEvent, StringComparison.Ordinal));
        Assert.Contains("because its owner cancelled it", delivered.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = person.Email, password = person.Password }, Ct)).StatusCode);

        // The cancellation, answered when it took effect, records both steps after its answer.
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            Assert.Equal(RequestState.Completed, (await db.PrivacyRequests.AsNoTracking().SingleAsync(r => r.Id == request, Ct)).State);
            var lines = await db.PrivacyRequestEvents.AsNoTracking().Where(e => e.RequestId == request).OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Kind).ToListAsync(Ct);
            Assert.Equal([RequestEventKind.Completed, RequestEventKind.RecipientsNotified, RequestEventKind.Erased], lines.SkipWhile(k => k != RequestEventKind.Completed));
            Assert.Empty(await db.Set<AccountDeletion>().Where(d => d.UserId == personId).ToListAsync(Ct));
        }

        var next = await app.RegisterOwnerAsync();
        var nextPlant = await next.CreatePlantAsync();
        Assert.Equal(HttpStatusCode.Created, (await next.Client.PostAsJsonAsync($"/api/v1/plants/{nextPlant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct)).StatusCode);
        app.Clock.Reset();
    }

    [Fact]
    public async Task Erasure_AnswersThePersonsOtherRequests_SoNoneStaysOpen()
    {
        app.RequireAvailable();
        var person = await app.RegisterOwnerAsync();
        var personId = await person.UserIdAsync();
        // The export worker is paused in tests: the export waits, verified, like one a privacy officer has not answered.
        var export = await app.VerifiedRequestAsync(person);
        var unverified = await person.RequestAsync();
        Guid first, second;
        await using (await app.HoldJobAsync(DeletionJob.Job))
        {
            first = await app.VerifiedRequestAsync(person, new { kind = "deletion", ground = "no-longer-used" });
            second = await app.VerifiedRequestAsync(person, new { kind = "deletion", ground = "no-consent" });
        }

        await Eventually.True(async () => !await app.UserExistsAsync(personId), "the account was never erased");

        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var states = await db.PrivacyRequests.AsNoTracking().Where(r => r.UserId == personId).ToDictionaryAsync(r => r.Id, r => (r.State, r.ClosedAt), Ct);
        Assert.Equal(RequestState.Completed, states[first].State);
        Assert.Equal(RequestState.Completed, states[second].State);
        Assert.Equal(RequestState.Closed, states[export].State);
        // Told once: the second request records that the first sent the notices and the last mail.
        Assert.Single(app.Mail.To(person.Email), m => m.Subject == "[Helio] Your personal data is being erased");
        var secondStarted = await db.PrivacyRequestEvents.AsNoTracking().SingleAsync(e => e.RequestId == second && e.Kind == RequestEventKind.Started, Ct);
        Assert.Equal(first.ToString(), JsonSerializer.Deserialize<Dictionary<string, string>>(secondStarted.Data!)!["noticesSentWith"]);
        Assert.Equal(RequestState.Expired, states[unverified].State);
        Assert.All(states.Values, s => Assert.NotNull(s.ClosedAt));
        var closing = await db.PrivacyRequestEvents.AsNoTracking().Where(e => e.RequestId == export && e.Kind == RequestEventKind.Closed).SingleAsync(Ct);
        Assert.Equal(CloseErasedRequests.Because, JsonSerializer.Deserialize<Dictionary<string, string>>(closing.Data!)!["closedBecause"]);
        Assert.Null(closing.NoteCipher);

        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var open = await (await officer.Client.GetAsync("/api/v1/privacy/requests?state=open", Ct)).JsonAsync();
        Assert.DoesNotContain(open.EnumerateArray(), r => states.ContainsKey(r.GetProperty("id").GetGuid()));
        var answered = await (await officer.Client.GetAsync("/api/v1/privacy/requests?state=closed", Ct)).JsonAsync();
        Assert.Contains(answered.EnumerateArray(), r => r.GetProperty("id").GetGuid() == export && r.GetProperty("state").GetString() == "closed");
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task ADeletionRequest_IsHeliosToCarryOut_AnOfficerMayRefuseItOnlyBeforeTheNoticesGoOut()
    {
        app.RequireAvailable();
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var kept = await app.RegisterOwnerAsync();
        var keptId = await kept.UserIdAsync();
        var erased = await app.RegisterOwnerAsync();
        var erasedId = await erased.UserIdAsync();
        Guid refused, underWay;
        await using (await app.HoldJobAsync(DeletionJob.Job))
        {
            refused = await app.VerifiedRequestAsync(kept, new { kind = "deletion", ground = "no-longer-used" });
            Assert.Equal(HttpStatusCode.Conflict, (await officer.Client.PostAsync($"/api/v1/privacy/requests/{refused}/start", null, Ct)).StatusCode);
            var complete = await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{refused}/complete", new { outcome = "Deleted by hand" }, Ct);
            Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
            Assert.Contains("carries out a deletion request itself", await complete.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            (await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{refused}/refuse",
                new { reason = "Your plants are evidence in a pending warranty claim (GDPR Art. 17(3)(e))." }, Ct)).EnsureSuccessStatusCode();

            // The first step done as the job would do it, while the job itself waits: the notices are out.
            underWay = await app.VerifiedRequestAsync(erased, new { kind = "deletion", ground = "no-longer-used" });
            await using (var scope = app.Scope())
            {
                var queued = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Set<AccountDeletion>().AsNoTracking().SingleAsync(d => d.RequestId == underWay, Ct);
                Assert.Equal(Step.NoticesSent, await scope.ServiceProvider.GetRequiredService<SendErasureNotices>().HandleAsync(queued, Ct));
            }
            var late = await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{underWay}/refuse", new { reason = "Too late" }, Ct);
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            Assert.Contains("cannot be recalled", await late.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await Eventually.True(async () => !await app.UserExistsAsync(erasedId), "the request under way was never carried out");
        // The refused one left the queue and its account stays.
        await Eventually.True(async () =>
        {
            await using var scope = app.Scope();
            return !await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Set<AccountDeletion>().AnyAsync(d => d.RequestId == refused, Ct);
        }, "the refused deletion stayed queued");
        Assert.True(await app.UserExistsAsync(keptId));
        var state = await (await kept.Client.GetAsync($"/api/v1/me/requests/{refused}", Ct)).JsonAsync();
        Assert.Equal("refused", state.GetProperty("state").GetString());
    }

    /// <summary>Ciphertexts of the person's, read raw before the deletion (each decrypts then).</summary>
    private async Task<List<(string Field, byte[] Cipher)>> CiphertextsAsync(Guid personId)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == personId, Ct);
        var found = new List<(string, byte[])> { (UserStore.EmailField, user.EmailCipher), (RegisterAccount.NameField, user.NameCipher), (RegisterAccount.PhoneField, user.PhoneCipher!) };
        found.AddRange((await db.Plants.AsNoTracking().Where(p => p.OwnerId == personId && p.AddressCipher != null).Select(p => p.AddressCipher!).ToListAsync(Ct)).Select(c => ("plants.address", c)));
        found.AddRange((await db.Webhooks.AsNoTracking().Where(w => w.UserId == personId).Select(w => w.UrlCipher!).ToListAsync(Ct)).Select(c => (SendWebhook.UrlField, c)));
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        foreach (var (field, cipher) in found)
        {
            Assert.False(string.IsNullOrEmpty(await protector.DecryptAsync(personId, field, cipher, Ct)));
        }
        return found;
    }
}

public sealed class SqliteDeletionTests(SqlitePrivacyClockApp app) : DeletionTests(app), IClassFixture<SqlitePrivacyClockApp>;

public sealed class PostgresDeletionTests(PostgresPrivacyClockApp app) : DeletionTests(app), IClassFixture<PostgresPrivacyClockApp>;
