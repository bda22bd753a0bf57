using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// <see cref="AccountErasure"/> on an account with something in every corner — a plant with an address, devices and
/// readings, a webhook, an API account in use, an organisation with an invitation, an alarm acknowledged on someone
/// else's plant, mails — read back from the raw rows: nothing carries the user's id any more (but the organisation they
/// founded, by design), nothing of theirs decrypts, their tokens and the API account's die, their serials are free.
/// </summary>
public abstract class AccountErasureTests(PrivacyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Erasure_LeavesNothingThatPointsAtThePerson_OrDecrypts()
    {
        var person = await app.RegisterOwnerAsync(phone: Owners.UniquePhone(), name: "Erasmus Gone");
        var personId = await person.UserIdAsync();
        var neighbour = await app.RegisterOwnerAsync();
        var neighbourId = await neighbour.UserIdAsync();

        var plant = (await (await person.Client.PostAsJsonAsync("/api/v1/plants",
            new { name = "Roof", latitude = 1, longitude = 1, timeZone = "UTC", capacityKwp = 3, address = "Erasmusweg 1" }, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var logger = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        var inverter = "SR1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        (await person.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = logger, kind = "logger" }, Ct)).EnsureSuccessStatusCode();
        (await person.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = inverter, kind = "inverter" }, Ct)).EnsureSuccessStatusCode();
        await StoredReadings.StoreAsync(app, [StoredReadings.Reading(inverter, logger, app.Clock.GetUtcNow().AddMinutes(-5))], Ct);
        Assert.NotEmpty(await StoredReadings.OfAsync(app, inverter, Ct));
        (await person.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "Mine", url = "http://127.0.0.1:9/secret-token" }, Ct)).EnsureSuccessStatusCode();
        var account = await person.OpenApiAccountAsync();
        await person.AssociateAsync(account, plant);
        var thirdParty = await app.ApiTokenClientAsync(account);
        Assert.Equal(HttpStatusCode.OK, (await thirdParty.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        var organisation = await person.CreateOrganisationAsync("Erasmus Solar");
        await app.InviteAsync(person, organisation, Owners.UniqueEmail("invitee"));
        // An alarm on the neighbour's plant, which the person acknowledged as a viewer.
        var neighbourPlant = await neighbour.CreatePlantAsync("Next door");
        var neighbourLogger = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        (await neighbour.Client.PostAsJsonAsync($"/api/v1/plants/{neighbourPlant}/devices", new { serialNumber = neighbourLogger, kind = "logger" }, Ct)).EnsureSuccessStatusCode();
        await app.ShareAsync(neighbourPlant, neighbourId, personId);
        var alarm = await app.RaiseAsync(neighbourPlant, neighbourLogger, "ID05", AlarmSeverity.Major, "Test");
        Assert.Equal(HttpStatusCode.OK, (await person.Client.PostAsync($"/api/v1/alarms/{alarm.Id}/acknowledge", null, Ct)).StatusCode);
        var ciphertexts = await CiphertextsAsync(personId);
        var pseudonym = await app.PseudonymAsync(personId);
        Assert.True(ciphertexts.Count >= 8, $"only {ciphertexts.Count} ciphertexts of the person were found");
        await using (var scope = app.Scope())
        {
            // Each decrypts before: what fails afterwards fails because the key is gone, not because the test misnamed a field.
            var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
            foreach (var (field, cipher) in ciphertexts)
            {
                Assert.False(string.IsNullOrEmpty(await protector.DecryptAsync(personId, field, cipher, Ct)));
            }
        }

        await using (var scope = app.Scope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<AccountErasure>().EraseAsync(personId, AuditActor.System, "test", Ct));
        }

        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            // Founding an organisation stays a fact of the organisation, by an id that no longer resolves.
            Assert.Equal(["organisations.CreatedBy"], await StoredValues.ColumnsHoldingAsync(db, type => type == typeof(Guid) ? personId : null));
            Assert.False(await db.UserDataKeys.AnyAsync(k => k.UserId == personId, Ct));
            Assert.False(await db.AuditPseudonyms.AnyAsync(p => p.UserId == personId, Ct));
            Assert.Null(await db.Alarms.Where(a => a.Id == alarm.Id).Select(a => a.AcknowledgedBy).SingleAsync(Ct));
            Assert.False(await db.Devices.AnyAsync(d => d.SerialNumber == logger || d.SerialNumber == inverter, Ct));
            var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
            foreach (var (field, cipher) in ciphertexts)
            {
                await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.DecryptAsync(personId, field, cipher, Ct));
            }
        }
        Assert.Empty(await StoredReadings.OfAsync(app, inverter, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thirdParty.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal("invalid_client", (await (await app.RequestTokenAsync(account.ClientId, account.Secret)).JsonAsync()).GetProperty("error").GetString());
        // The serials are free for the next owner.
        var next = await app.RegisterOwnerAsync();
        var nextPlant = await next.CreatePlantAsync();
        Assert.Equal(HttpStatusCode.Created, (await next.Client.PostAsJsonAsync($"/api/v1/plants/{nextPlant}/devices", new { serialNumber = inverter, kind = "inverter" }, Ct)).StatusCode);
        Assert.True((await app.VerifyAuditAsync()).Intact);
        Assert.Equal(AuditActorKind.System, (await app.ErasureEntryAsync(pseudonym)).ActorKind);
        Assert.DoesNotContain(await app.AuditEntriesAsync(), e => e.Target == personId.ToString() || (e.Detail ?? "").Contains(personId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ErasingTwice_IsNothing()
    {
        var person = await app.RegisterOwnerAsync();
        var id = await person.UserIdAsync();
        var pseudonym = await app.PseudonymAsync(id);
        await using var scope = app.Scope();
        var erasure = scope.ServiceProvider.GetRequiredService<AccountErasure>();

        Assert.True(await erasure.EraseAsync(id, AuditActor.System, "test", Ct));
        Assert.False(await erasure.EraseAsync(id, AuditActor.System, "test", Ct));
        await app.ErasureEntryAsync(pseudonym);
    }

    /// <summary>Every ciphertext made under the person's key, read raw from the rows that hold one.</summary>
    private async Task<List<(string Field, byte[] Cipher)>> CiphertextsAsync(Guid personId)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == personId, Ct);
        var found = new List<(string, byte[])>
        {
            (UserStore.EmailField, user.EmailCipher), (RegisterAccount.NameField, user.NameCipher), (RegisterAccount.PhoneField, user.PhoneCipher!),
            (RegisterAccount.DateOfBirthField, user.DateOfBirthCipher!),
        };
        found.AddRange((await db.Plants.AsNoTracking().Where(p => p.OwnerId == personId && p.AddressCipher != null).Select(p => p.AddressCipher!).ToListAsync(Ct)).Select(c => ("plants.address", c)));
        found.AddRange((await db.Webhooks.AsNoTracking().Where(w => w.UserId == personId).Select(w => w.UrlCipher!).ToListAsync(Ct)).Select(c => ("webhooks.url", c)));
        found.AddRange((await db.OrganisationMembers.AsNoTracking().Where(m => m.UserId == personId && m.EmailCipher != null).Select(m => m.EmailCipher!).ToListAsync(Ct)).Select(c => ("organisation_members.email", c)));
        found.AddRange((await db.OrganisationInvitations.AsNoTracking().Where(i => i.InvitedBy == personId).Select(i => i.EmailCipher).ToListAsync(Ct)).Select(c => ("organisation_invitations.email", c)));
        return found;
    }
}

public sealed class SqliteAccountErasureTests(SqlitePrivacyClockApp app) : AccountErasureTests(app), IClassFixture<SqlitePrivacyClockApp>;

public sealed class PostgresAccountErasureTests(PostgresPrivacyClockApp app) : AccountErasureTests(app), IClassFixture<PostgresPrivacyClockApp>;
