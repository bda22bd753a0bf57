using System.Net;
using System.Net.Http.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Accounts;

public abstract class PasswordResetTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ForgotPassword_UnknownAddress_SameAnswer_NoMail()
    {
        var email = Owners.UniqueEmail("nobody");
        var response = await app.Anonymous().PostAsJsonAsync("/api/v1/account/forgot-password", new { email }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Task.Delay(500, Ct);
        Assert.Empty(app.Mail.To(email));
    }

    [Fact]
    public async Task Reset_SetsPassword_EndsEverySession_TokenWorksOnce()
    {
        var owner = await app.RegisterOwnerAsync();
        await app.Anonymous().PostAsJsonAsync("/api/v1/account/forgot-password", new { email = owner.Email }, Ct);
        var mail = await app.Mail.WaitForAsync(owner.Email, "Reset your Helio password");
        var (userId, code) = Owners.LinkParameters(mail.TextBody!, "/account/reset-password");

        var reset = await app.Anonymous().PostAsJsonAsync("/api/v1/account/reset-password", new { userId, token = code, newPassword = "a new long secret" }, Ct);
        var again = await app.Anonymous().PostAsJsonAsync("/api/v1/account/reset-password", new { userId, token = code, newPassword = "yet another secret" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await owner.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        await app.TokenAsync(owner.Email, "a new long secret");
        await app.Mail.WaitForAsync(owner.Email, "password was changed");
    }

    [Fact]
    public async Task Reset_SupersededToken_Fails()
    {
        var owner = await app.RegisterOwnerAsync();
        await app.Anonymous().PostAsJsonAsync("/api/v1/account/forgot-password", new { email = owner.Email }, Ct);
        var first = await app.Mail.WaitForAsync(owner.Email, "Reset your Helio password");
        var (userId, oldCode) = Owners.LinkParameters(first.TextBody!, "/account/reset-password");
        await app.Anonymous().PostAsJsonAsync("/api/v1/account/forgot-password", new { email = owner.Email }, Ct);
        await WaitForMailCountAsync(owner.Email, "Reset your Helio password", 2);

        var stale = await app.Anonymous().PostAsJsonAsync("/api/v1/account/reset-password", new { userId, token = oldCode, newPassword = "a new long secret" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
    }

    private async Task WaitForMailCountAsync(string to, string subject, int count)
    {
        for (var i = 0; i < 100 && app.Mail.To(to).Count(m => (m.Subject ?? "").Contains(subject, StringComparison.Ordinal)) < count; i++)
        {
            await Task.Delay(100, Ct);
        }
        Assert.Equal(count, app.Mail.To(to).Count(m => (m.Subject ?? "").Contains(subject, StringComparison.Ordinal)));
    }
}

public sealed class SqlitePasswordResetTests(SqliteApp app) : PasswordResetTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPasswordResetTests(PostgresApp app) : PasswordResetTests(app), IClassFixture<PostgresApp>;
