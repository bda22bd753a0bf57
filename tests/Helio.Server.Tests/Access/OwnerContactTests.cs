using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Sharing;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Access;

/// <summary>
/// The owner's contact details during a grant: masked for the engineer (no plaintext in the answer or the logs), in
/// clear for the owner, and one field at a time in clear through a separate, reasoned, audited action.
/// </summary>
public abstract class OwnerContactTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheEngineer_SeesTheContactMasked_WithNoPlaintextInTheAnswerOrTheLogs_AndTheLookIsAudited()
    {
        var phone = Owners.UniquePhone();
        var (owner, plant, engineer, request) = await app.GrantedAsync(phone: phone);

        var response = await engineer.Client.GetAsync($"/api/v1/plants/{plant}/owner-contact", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var contact = JsonDocument.Parse(body).RootElement;
        Assert.Equal("J*** D**", contact.GetProperty("name").GetString());
        Assert.Equal("o***@e***.com", contact.GetProperty("email").GetString());
        Assert.Equal("*** *** *" + phone[^3..], contact.GetProperty("phone").GetString());
        Assert.True(contact.GetProperty("masked").GetBoolean());
        foreach (var secret in new[] { owner.Email, owner.Email.Split('@')[0], "Jane", "Doe", phone, phone[3..] })
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var secret in new[] { owner.Email.Split('@')[0], phone[3..] })
        {
            Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
        var entry = (await app.AuditAsync(plant))[^1];
        Assert.Equal(AuditActions.ContactViewedMasked, entry.Action);
        Assert.Equal(await owner.UserIdAsync(), entry.Subject);
        Assert.Equal(await engineer.UserIdAsync(), entry.Actor);
        Assert.Equal(request.ToString(), entry.Target);
    }

    [Fact]
    public async Task TheOwner_SeesTheirOwnContactInClear_AndNothingIsRecorded()
    {
        var phone = Owners.UniquePhone();
        var owner = await app.RegisterOwnerAsync(phone: phone, name: "Ada Lovelace");
        var plant = await owner.CreatePlantAsync();

        var contact = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/owner-contact", Ct)).JsonAsync();

        Assert.Equal("Ada Lovelace", contact.GetProperty("name").GetString());
        Assert.Equal(owner.Email, contact.GetProperty("email").GetString());
        Assert.Equal(phone, contact.GetProperty("phone").GetString());
        Assert.False(contact.GetProperty("masked").GetBoolean());
        Assert.DoesNotContain(await app.AuditAsync(plant), e => e.Action.StartsWith("contact.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutALiveGrant_NobodyButTheOwner_SeesTheContact()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var support = await app.RegisterStaffAsync(Roles.Support);
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var stranger = await app.RegisterOwnerAsync();
        var organisation = await app.CreateOrganisationAsync();
        var staff = await app.RegisterOwnerAsync();
        await app.JoinAsync(organisation, staff, OrganisationRole.AfterSales);
        await app.ShareAsync(plant, organisation, ShareScope.Manage);
        await support.RequestAsync(plant); // pending: not yet a grant

        foreach (var caller in new[] { support, admin, stranger, staff })
        {
            var foreign = await caller.Client.GetAsync($"/api/v1/plants/{plant}/owner-contact", Ct);
            var missing = await caller.Client.GetAsync($"/api/v1/plants/{Guid.NewGuid()}/owner-contact", Ct);
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            var unmask = await caller.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/owner-contact/unmask", new { field = "email", reason = AccessSetup.Reason }, Ct);
            Assert.Equal(HttpStatusCode.NotFound, unmask.StatusCode);
        }
        // The organisation's engineer does see the plant (it is shared), just not its owner's contact.
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.DoesNotContain(await app.AuditAsync(plant), e => e.Action is AuditActions.ContactViewedMasked or AuditActions.ContactUnmasked);
    }

    [Fact]
    public async Task Unmasking_ShowsOneFieldInClear_IsAuditedWithTheField_AndTheOwnerReadsTheReason()
    {
        var (owner, plant, engineer, request) = await app.GrantedAsync();
        const string why = "The owner asked me to call back about the inverter.";

        var response = await engineer.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/owner-contact/unmask", new { field = "email", reason = why }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var unmasked = await response.JsonAsync();
        Assert.Equal("email", unmasked.GetProperty("field").GetString());
        Assert.Equal(owner.Email, unmasked.GetProperty("value").GetString());
        Assert.DoesNotContain("Jane", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal); // one field only
        var entry = (await app.AuditAsync(plant))[^1];
        Assert.Equal(AuditActions.ContactUnmasked, entry.Action);
        Assert.Equal(await owner.UserIdAsync(), entry.Subject);
        Assert.Equal(request.ToString(), entry.Target);
        Assert.Equal("email", JsonDocument.Parse(entry.Detail!).RootElement.GetProperty("field").GetString());
        Assert.DoesNotContain("call back", entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(owner.Email, entry.Detail, StringComparison.OrdinalIgnoreCase);

        var grant = Assert.Single((await (await owner.Client.GetAsync("/api/v1/access-requests", Ct)).JsonAsync()).GetProperty("activeGrants").EnumerateArray());
        var seen = Assert.Single(grant.GetProperty("unmaskings").EnumerateArray());
        Assert.Equal("email", seen.GetProperty("field").GetString());
        Assert.Equal(why, seen.GetProperty("reason").GetString());

        // A phone the owner never gave stays absent, and the try is still on record.
        var phone = await (await engineer.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/owner-contact/unmask", new { field = "phone", reason = why }, Ct)).JsonAsync();
        Assert.Equal(JsonValueKind.Null, phone.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await (await engineer.Client.GetAsync($"/api/v1/plants/{plant}/owner-contact", Ct)).JsonAsync()).GetProperty("phone").ValueKind);

        await owner.ActOkAsync(request, "revoke");
        Assert.Equal(HttpStatusCode.NotFound, (await engineer.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/owner-contact/unmask", new { field = "name", reason = why }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Unmasking_NeedsAFieldAndAReason()
    {
        var (_, plant, engineer, _) = await app.GrantedAsync();

        await AssertInvalidAsync(engineer, plant, new { field = "address", reason = AccessSetup.Reason }, "field");
        await AssertInvalidAsync(engineer, plant, new { field = "name" }, "reason");
        await AssertInvalidAsync(engineer, plant, new { field = "name", reason = "because" }, "reason");
        await AssertInvalidAsync(engineer, plant, new { field = "name", reason = new string('x', 501) }, "reason");
        Assert.DoesNotContain(await app.AuditAsync(plant), e => e.Action == AuditActions.ContactUnmasked);
    }

    private static async Task AssertInvalidAsync(Owner engineer, Guid plant, object body, string field)
    {
        var response = await engineer.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/owner-contact/unmask", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        Assert.DoesNotContain("Jane", text, StringComparison.Ordinal);
    }
}

public sealed class SqliteOwnerContactTests(SqliteApp app) : OwnerContactTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresOwnerContactTests(PostgresApp app) : OwnerContactTests(app), IClassFixture<PostgresApp>;
