using System.Net;
using System.Net.Http.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Accounts;

public abstract class ProfileChangeTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChangePassword_NeedsCurrent_EndsOtherSessions_KeepsThisOne_NotifiesByMail()
    {
        var owner = await app.RegisterOwnerAsync();
        var other = await app.TokenAsync(owner.Email, owner.Password);

        var change = await owner.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = owner.Password, newPassword = "a brand new password" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.WithToken(other.AccessToken).GetAsync("/api/v1/me", Ct)).StatusCode);
        await app.Mail.WaitForAsync(owner.Email, "password was changed");
        await app.TokenAsync(owner.Email, "a brand new password");
    }

    [Fact]
    public async Task ChangeEmail_NeedsPassword_AppliesOnConfirmation_OldAddressIsTold()
    {
        var owner = await app.RegisterOwnerAsync();
        var newEmail = Owners.UniqueEmail("moved");

        var wrong = await owner.Client.PostAsJsonAsync("/api/v1/me/email", new { currentPassword = "not my password", newEmail }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var request = await owner.Client.PostAsJsonAsync("/api/v1/me/email", new { currentPassword = owner.Password, newEmail }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        await app.Mail.WaitForAsync(owner.Email, "change of your Helio e-mail address was requested");
        var link = await app.Mail.WaitForAsync(newEmail, "Confirm your new Helio e-mail address");
        var (userId, code) = Owners.LinkParameters(link.TextBody!, "/account/confirm-email-change");
        var address = Owners.LinkQuery(link.TextBody!, "/account/confirm-email-change", "address");
        Assert.DoesNotContain(newEmail, link.TextBody!.Split('\n').Single(l => l.Contains("/account/confirm-email-change", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);

        var confirm = await app.Anonymous().PostAsJsonAsync("/api/v1/account/confirm-email-change", new { userId, address, token = code }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        await app.TokenAsync(newEmail, owner.Password);
        var old = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = owner.Password }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await app.Mail.WaitForAsync(owner.Email, "e-mail address was changed");
    }

    [Fact]
    public async Task ChangePhone_NeedsPassword_ThenSignInWithNewPhone()
    {
        var owner = await app.RegisterOwnerAsync();
        var phone = Owners.UniquePhone();

        var wrong = await owner.Client.PostAsJsonAsync("/api/v1/me/phone", new { currentPassword = "not my password", phone }, Ct);
        var right = await owner.Client.PostAsJsonAsync("/api/v1/me/phone", new { currentPassword = owner.Password, phone }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        await app.TokenAsync(phone, owner.Password);
        await app.Mail.WaitForAsync(owner.Email, "phone number was changed");
    }

    [Fact]
    public async Task UpdateProfile_ChangesNameAndCountry_IgnoresProtectedFields()
    {
        var owner = await app.RegisterOwnerAsync();

        var update = await owner.Client.PutAsJsonAsync("/api/v1/me", new { name = "J. Doe", country = "AT", roles = new[] { "admin" }, id = Guid.NewGuid(), emailConfirmed = false }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        var me = await (await owner.Client.GetAsync("/api/v1/me", Ct)).JsonAsync();
        Assert.Equal("J. Doe", me.GetProperty("name").GetString());
        Assert.Equal("AT", me.GetProperty("country").GetString());
        Assert.Empty(me.GetProperty("roles").EnumerateArray());
        Assert.True(me.GetProperty("emailConfirmed").GetBoolean());
    }
}

public sealed class SqliteProfileChangeTests(SqliteApp app) : ProfileChangeTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresProfileChangeTests(PostgresApp app) : ProfileChangeTests(app), IClassFixture<PostgresApp>;
