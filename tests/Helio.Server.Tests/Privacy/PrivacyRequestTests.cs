using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// The request contract end to end, through HTTP and the real mailbox: the password re-authenticates (through the
/// lockout), the code comes by mail to the confirmed address and works once, three wrong answers kill it, someone
/// else's request is missing, and bad input names its field without costing a lockout try.
/// </summary>
public abstract class PrivacyRequestTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExportRequest_IsVerifiedByTheMailedCode_Once()
    {
        var owner = await app.RegisterOwnerAsync();

        var made = await owner.Client.PostAsJsonAsync("/api/v1/me/requests", new { kind = "export", password = owner.Password }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, made.StatusCode);
        var request = await made.JsonAsync();
        var id = request.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/me/requests/{id}", made.Headers.Location!.OriginalString);
        Assert.Equal("received", request.GetProperty("state").GetString());
        Assert.Equal("export", request.GetProperty("kind").GetString());
        Assert.Equal(3, request.GetProperty("codeAttemptsLeft").GetInt32());
        Assert.Equal(JsonValueKind.Null, request.GetProperty("downloadUrl").ValueKind);
        var received = request.GetProperty("receivedAt").GetDateTimeOffset();
        Assert.Equal(DueDates.DueDate(received, 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), request.GetProperty("dueDate").GetString());

        var code = await app.CodeAsync(owner, id);
        var verified = await owner.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var state = await (await owner.Client.GetAsync($"/api/v1/me/requests/{id}", Ct)).JsonAsync();
        Assert.Equal("verified", state.GetProperty("state").GetString());
        Assert.Equal(0, state.GetProperty("codeAttemptsLeft").GetInt32());
        Assert.Equal(["received", "code-sent", "verified"], state.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("event").GetString()!).ToArray());
        await app.Mail.WaitForAsync(owner.Email, "We received your request for a copy of your data");

        var again = await owner.VerifyAsync(id, code);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var listed = await (await owner.Client.GetAsync("/api/v1/me/requests", Ct)).JsonAsync();
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetGuid());
        var audit = await app.AuditEntriesAsync();
        Assert.Contains(audit, e => e.Action == AuditActions.PrivacyRequestReceived && e.Target == id.ToString());
        Assert.Contains(audit, e => e.Action == AuditActions.PrivacyRequestVerified && e.Target == id.ToString());
    }

    [Fact]
    public async Task TheCode_IsStoredOnlyAsAHash()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await owner.RequestAsync();
        var code = await app.CodeAsync(owner, id);

        await using var scope = app.Scope();
        var stored = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().PrivacyRequests.SingleAsync(r => r.Id == id, Ct);
        Assert.Equal(VerificationCodes.Hash(id, code), stored.CodeHash);
        Assert.NotEqual(VerificationCodes.Hash(Guid.NewGuid(), code), stored.CodeHash); // bound to its request
    }

    [Fact]
    public async Task ThreeWrongCodes_KillTheCode_AndANewOneNeedsThePassword()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await owner.RequestAsync();
        var code = await app.CodeAsync(owner, id);
        var wrong = code == "00000000" ? "11111111" : "00000000";

        var first = await owner.VerifyAsync(id, wrong);
        var second = await owner.VerifyAsync(id, wrong);
        var third = await owner.VerifyAsync(id, wrong);
        var right = await owner.VerifyAsync(id, code);

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Contains("2 tries left", await ErrorAsync(first, "code"), StringComparison.Ordinal);
        Assert.Contains("1 tries left", await ErrorAsync(second, "code"), StringComparison.Ordinal);
        Assert.Contains("last try", await ErrorAsync(third, "code"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, right.StatusCode);
        Assert.Equal("received", (await (await owner.Client.GetAsync($"/api/v1/me/requests/{id}", Ct)).JsonAsync()).GetProperty("state").GetString());

        var noPassword = await owner.Client.PostAsJsonAsync($"/api/v1/me/requests/{id}/code", new { password = "wrong wrong wrong" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noPassword.StatusCode);
        Assert.NotNull(await ErrorAsync(noPassword, "password"));
        var renewed = await owner.Client.PostAsJsonAsync($"/api/v1/me/requests/{id}/code", new { password = owner.Password }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, renewed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.VerifyAsync(id, code)).StatusCode); // the old code stays dead
        var fresh = await app.CodeAsync(owner, id, nth: 2);
        Assert.Equal(HttpStatusCode.OK, (await owner.VerifyAsync(id, fresh)).StatusCode);
    }

    [Fact]
    public async Task TheCodes_OfARequest_AreLimited()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await owner.RequestAsync();

        for (var sent = 1; sent < SendNewCode.MaxCodes; sent++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await owner.Client.PostAsJsonAsync($"/api/v1/me/requests/{id}/code", new { password = owner.Password }, Ct)).StatusCode);
        }
        var oneTooMany = await owner.Client.PostAsJsonAsync($"/api/v1/me/requests/{id}/code", new { password = owner.Password }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, oneTooMany.StatusCode);
        // Only the latest code works: each new one replaced the one before.
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.VerifyAsync(id, await app.CodeAsync(owner, id, nth: 1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.VerifyAsync(id, await app.CodeAsync(owner, id, nth: SendNewCode.MaxCodes))).StatusCode);
    }

    [Fact]
    public async Task AnotherUsersRequest_AnswersLikeAMissingOne()
    {
        var owner = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var id = await owner.RequestAsync();
        var code = await app.CodeAsync(owner, id);

        foreach (var target in new[] { id, Guid.NewGuid() })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/me/requests/{target}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.VerifyAsync(target, code)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostAsJsonAsync($"/api/v1/me/requests/{target}/code", new { password = stranger.Password }, Ct)).StatusCode);
        }
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/me/requests", Ct)).JsonAsync()).EnumerateArray());
        // The stranger's tries neither used the code nor counted against it.
        Assert.Equal(HttpStatusCode.OK, (await owner.VerifyAsync(id, code)).StatusCode);
    }

    [Fact]
    public async Task AWrongPassword_IsNamed_AndCountsTowardsTheLockout()
    {
        var owner = await app.RegisterOwnerAsync();

        var wrong = await owner.Client.PostAsJsonAsync("/api/v1/me/requests", new { kind = "export", password = "not my password" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("The password is not correct.", await ErrorAsync(wrong, "password"));
        for (var i = 1; i < 5; i++)
        {
            await owner.Client.PostAsJsonAsync("/api/v1/me/requests", new { kind = "export", password = "not my password" }, Ct);
        }
        // Locked now: the right password gets the same answer, and signing in is refused too.
        var locked = await owner.Client.PostAsJsonAsync("/api/v1/me/requests", new { kind = "export", password = owner.Password }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Equal("The password is not correct.", await ErrorAsync(locked, "password"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = owner.Password }, Ct)).StatusCode);
        Assert.DoesNotContain(app.Mail.To(owner.Email), m => (m.Subject ?? "").Contains("verification code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadInput_NamesTheField_BeforeThePasswordIsTried()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var othersPlant = await (await app.RegisterOwnerAsync()).CreatePlantAsync();
        const string wrong = "not my password";

        // Six malformed requests with a wrong password: none gets as far as the password, so none counts.
        await ExpectFieldAsync(new { kind = "nonsense", password = wrong }, "kind");
        await ExpectFieldAsync(new { kind = "export" }, "password");
        await ExpectFieldAsync(new { kind = "correction", password = wrong, data = "Readings" }, "problem");
        await ExpectFieldAsync(new { kind = "correction", password = wrong, data = "Readings", problem = "Spikes", plantId = othersPlant }, "plantId");
        await ExpectFieldAsync(new { kind = "correction", password = wrong, data = "Readings", problem = "Spikes", plantId = plant, deviceSerial = "SR1ES000000000" }, "deviceSerial");
        await ExpectFieldAsync(new { kind = "correction", password = wrong, data = "Readings", problem = "Spikes", from = DateTimeOffset.UtcNow }, "to");
        await ExpectFieldAsync(new { kind = "deletion", password = wrong, ground = "because" }, "ground");
        await ExpectFieldAsync(new { kind = "review", password = wrong, reason = "Wrong", decision = $"alarm:{Guid.NewGuid()}" }, "decision");
        await ExpectFieldAsync(new { kind = "transfer", password = wrong, targetUrl = "http://example.com/inbox" }, "targetUrl");
        await ExpectFieldAsync(new { kind = "export", password = wrong, text = new string('x', SubmitRequest.MaxText + 1) }, "text");

        var id = await owner.RequestAsync(new { kind = "deletion", ground = "no-longer-used" });
        var request = await (await owner.Client.GetAsync($"/api/v1/me/requests/{id}", Ct)).JsonAsync();
        Assert.Equal("no-longer-used", request.GetProperty("details").GetProperty("ground").GetString());

        async Task ExpectFieldAsync(object body, string field)
        {
            var response = await owner.Client.PostAsJsonAsync("/api/v1/me/requests", body, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode}");
            Assert.NotNull(await ErrorAsync(response, field));
        }
    }

    [Fact]
    public async Task AComplaint_IsTrackedAtOnce_WithADueDate()
    {
        var owner = await app.RegisterOwnerAsync();

        var invalid = await owner.Client.PostAsJsonAsync("/api/v1/me/complaints", new { subject = "Marketing mail" }, Ct);
        var made = await owner.Client.PostAsJsonAsync("/api/v1/me/complaints", new { subject = "Marketing mail", text = "I never agreed to it." }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull(await ErrorAsync(invalid, "text"));
        Assert.Equal(HttpStatusCode.Accepted, made.StatusCode);
        var complaint = await made.JsonAsync();
        Assert.Equal("complaint", complaint.GetProperty("kind").GetString());
        Assert.Equal("verified", complaint.GetProperty("state").GetString());
        Assert.Equal("I never agreed to it.", complaint.GetProperty("details").GetProperty("text").GetString());
        await app.Mail.WaitForAsync(owner.Email, "We received your complaint");
    }

    [Fact]
    public async Task ThePrivacyContact_IsPublic()
    {
        var contact = await (await app.Anonymous().GetAsync("/api/v1/privacy/contact", Ct)).JsonAsync();

        Assert.False(string.IsNullOrEmpty(contact.GetProperty("name").GetString()));
        Assert.False(string.IsNullOrEmpty(contact.GetProperty("supervisoryAuthority").GetString()));
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.JsonAsync();
        return problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages) ? messages[0].GetString() : null;
    }
}

public sealed class SqlitePrivacyRequestTests(SqliteApp app) : PrivacyRequestTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPrivacyRequestTests(PostgresApp app) : PrivacyRequestTests(app), IClassFixture<PostgresApp>;
