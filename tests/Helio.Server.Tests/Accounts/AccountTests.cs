using System.Net;
using System.Net.Http.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Accounts;

/// <summary>Registration, confirmation, sign-in, tokens and lockout, through HTTP and a real mailbox.</summary>
public abstract class AccountTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_ConfirmFromMail_SignIn_MeShowsDecryptedProfile()
    {
        var phone = Owners.UniquePhone();
        var owner = await app.RegisterOwnerAsync(phone: phone, name: "Jane Doe");

        var me = await (await owner.Client.GetAsync("/api/v1/me", Ct)).JsonAsync();

        Assert.Equal(owner.Email, me.GetProperty("email").GetString());
        Assert.Equal(phone, me.GetProperty("phone").GetString());
        Assert.Equal("Jane Doe", me.GetProperty("name").GetString());
        Assert.Equal("DE", me.GetProperty("country").GetString());
        Assert.True(me.GetProperty("emailConfirmed").GetBoolean());
        Assert.Equal("1.0", me.GetProperty("acceptedPolicyVersion").GetString());
    }

    [Fact]
    public async Task Register_NationalPhone_IsStoredInE164_AndSignInWorksWithPhone()
    {
        var national = "0151 " + Random.Shared.Next(10_000_000, 99_999_999);
        var owner = await app.RegisterOwnerAsync(phone: national);
        var e164 = "+49151" + national[5..];

        var me = await (await owner.Client.GetAsync("/api/v1/me", Ct)).JsonAsync();
        Assert.Equal(e164, me.GetProperty("phone").GetString());
        var tokens = await app.TokenAsync(e164, Owners.Password);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    [Fact]
    public async Task Register_InvalidFields_ProblemDetailsNameEachField()
    {
        var response = await app.Anonymous().PostAsJsonAsync("/api/v1/account/register",
            new { email = "not-an-email", phone = "12", password = "short", name = "", country = "XX" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "email", "phone", "password", "name", "country", "dateOfBirth" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        }
    }

    [Fact]
    public async Task Register_CommonPassword_Refused()
    {
        var response = await app.Anonymous().PostAsJsonAsync("/api/v1/account/register",
            new { email = Owners.UniqueEmail(), password = "iloveyou123", name = "A", country = "DE" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("common", (await response.JsonAsync()).GetProperty("errors").GetProperty("password")[0].GetString());
    }

    [Fact]
    public async Task Register_ExistingEmail_SameAnswer_OwnerIsToldByMail()
    {
        var owner = await app.RegisterOwnerAsync();

        var again = await app.Anonymous().PostAsJsonAsync("/api/v1/account/register",
            new { email = owner.Email.ToUpperInvariant(), password = "another fine password", name = "Mallory", country = "FR", dateOfBirth = Owners.AdultBirthDate }, Ct);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("confirmation-sent", (await again.JsonAsync()).GetProperty("status").GetString());
        await app.Mail.WaitForAsync(owner.Email, "Someone tried to register");
        // The original password still works: nothing about the account changed.
        await app.TokenAsync(owner.Email, Owners.Password);
    }

    [Fact]
    public async Task SignIn_BeforeConfirmation_Refused()
    {
        var email = Owners.UniqueEmail();
        await app.Anonymous().PostAsJsonAsync("/api/v1/account/register", new { email, password = Owners.Password, name = "A", country = "DE", dateOfBirth = Owners.AdultBirthDate }, Ct);

        var response = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = email, password = Owners.Password }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ConfirmationLink_WorksOnce()
    {
        var email = Owners.UniqueEmail();
        await app.Anonymous().PostAsJsonAsync("/api/v1/account/register", new { email, password = Owners.Password, name = "A", country = "DE", dateOfBirth = Owners.AdultBirthDate }, Ct);
        var mail = await app.Mail.WaitForAsync(email, "Confirm your Helio account");
        var (userId, code) = Owners.LinkParameters(mail.TextBody!, "/account/confirm-email");

        var first = await app.Anonymous().PostAsJsonAsync("/api/v1/account/confirm-email", new { userId, token = code }, Ct);
        var second = await app.Anonymous().PostAsJsonAsync("/api/v1/account/confirm-email", new { userId, token = code }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task SignIn_UnknownAndWrongPassword_SameAnswer()
    {
        var owner = await app.RegisterOwnerAsync();

        var wrong = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = "wrong password!" }, Ct);
        var unknown = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = Owners.UniqueEmail(), password = "wrong password!" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var a = await wrong.JsonAsync();
        var b = await unknown.JsonAsync();
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task FiveFailures_LockTheAccount_EvenForTheRightPassword()
    {
        var owner = await app.RegisterOwnerAsync();
        for (var i = 0; i < 5; i++)
        {
            await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = "wrong password!" }, Ct);
        }

        var right = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = Owners.Password }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
    }

    [Fact]
    public async Task WrongCurrentPassword_OnChangePassword_CountsTowardsLockout()
    {
        var owner = await app.RegisterOwnerAsync();
        for (var i = 0; i < 5; i++)
        {
            var change = await owner.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "wrong password!", newPassword = "a brand new password" }, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        }

        var signIn = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = Owners.Password }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task Refresh_RotatesToken_AndReuseOfTheOldOneEndsTheSession()
    {
        var owner = await app.RegisterOwnerAsync();

        var refreshed = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = owner.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var next = (await refreshed.Content.ReadFromJsonAsync<Tokens>(Ct))!;
        Assert.NotEqual(owner.RefreshToken, next.RefreshToken);

        var replay = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = owner.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        // The replay revoked the whole session, including the token the legitimate client just got.
        var afterReplay = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = next.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, afterReplay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.WithToken(next.AccessToken).GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Logout_EndsAccessAndRefreshTokensAtOnce()
    {
        var owner = await app.RegisterOwnerAsync();

        var logout = await owner.Client.PostAsync("/api/v1/auth/logout", null, Ct);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await owner.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        var refresh = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = owner.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task GarbageTokens_AreUnauthorized()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.WithToken("not-a-token").GetAsync("/api/v1/me", Ct)).StatusCode);
        var refresh = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = new string('A', 64) }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }
}

public sealed class SqliteAccountTests(SqliteApp app) : AccountTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresAccountTests(PostgresApp app) : AccountTests(app), IClassFixture<PostgresApp>;
