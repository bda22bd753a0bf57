using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Accounts;

public abstract class TwoFactorTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enable_ThenSignInNeedsCode_CodeWorksOnce_RecoveryCodeWorksOnce()
    {
        var owner = await app.RegisterOwnerAsync();
        var key = await SetUpAsync(owner);
        // Steps are fixed up front: the server accepts one step either side, so a 30-second boundary
        // passing mid-test changes nothing.
        var step = Totp.StepAt(DateTimeOffset.UtcNow);
        var enable = await owner.Client.PostAsJsonAsync("/api/v1/me/two-factor/enable", new { code = CodeAt(key, step) }, Ct);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var recovery = (await enable.JsonAsync()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(10, recovery.Length);

        var withoutCode = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = owner.Password }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.True((await withoutCode.JsonAsync()).GetProperty("twoFactorRequired").GetBoolean());

        // The enabling code was the current step: it is spent. The next step's code works, once.
        var reused = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = owner.Password, code = CodeAt(key, step) }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        await app.TokenAsync(owner.Email, owner.Password, CodeAt(key, step + 1));
        var replay = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = owner.Password, code = CodeAt(key, step + 1) }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);

        await app.TokenAsync(owner.Email, owner.Password, recovery[0]);
        var recoveryAgain = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = owner.Password, code = recovery[0] }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, recoveryAgain.StatusCode);
        await app.Mail.WaitForAsync(owner.Email, "Two-factor authentication is on");
    }

    [Fact]
    public async Task SetUp_NeedsCurrentPassword_AndReturnsQrCode()
    {
        var owner = await app.RegisterOwnerAsync();

        var wrong = await owner.Client.PostAsJsonAsync("/api/v1/me/two-factor/setup", new { currentPassword = "nope nope nope" }, Ct);
        var right = await owner.Client.PostAsJsonAsync("/api/v1/me/two-factor/setup", new { currentPassword = owner.Password }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var setup = await right.JsonAsync();
        Assert.StartsWith("<svg", setup.GetProperty("qrCodeSvg").GetString()!.TrimStart().Replace("<?xml", "<svg", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.StartsWith("otpauth://totp/", setup.GetProperty("authenticatorUri").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_NeedsPassword_ThenSignInWithoutCode()
    {
        var owner = await app.RegisterOwnerAsync();
        var key = await SetUpAsync(owner);
        await owner.Client.PostAsJsonAsync("/api/v1/me/two-factor/enable", new { code = CodeAt(key, Totp.StepAt(DateTimeOffset.UtcNow)) }, Ct);

        var disable = await owner.Client.PostAsJsonAsync("/api/v1/me/two-factor/disable", new { currentPassword = owner.Password }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        await app.TokenAsync(owner.Email, owner.Password);
    }

    /// <summary>Starts the set-up and returns the shared key, as an authenticator app reads it from the QR code.</summary>
    internal static async Task<byte[]> SetUpAsync(Owner owner)
    {
        var setup = await (await owner.Client.PostAsJsonAsync("/api/v1/me/two-factor/setup", new { currentPassword = owner.Password }, Ct)).JsonAsync();
        return Base32Decode(setup.GetProperty("sharedKey").GetString()!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
    }

    /// <summary>What an authenticator app shows at time step <paramref name="step"/>.</summary>
    internal static string CodeAt(byte[] key, long step) =>
        Totp.Compute(key, step).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. output];
    }
}

public sealed class SqliteTwoFactorTests(SqliteApp app) : TwoFactorTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresTwoFactorTests(PostgresApp app) : TwoFactorTests(app), IClassFixture<PostgresApp>;
