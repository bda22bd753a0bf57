using System.Security.Cryptography;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Security;

public sealed class PersonalDataProtectorTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Guid> NewUserKeyAsync(AsyncServiceScope scope)
    {
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var userId = Guid.NewGuid();
        db.UserDataKeys.Add(scope.ServiceProvider.GetRequiredService<PersonalDataProtector>().CreateDataKey(userId));
        await db.SaveChangesAsync(Ct);
        return userId;
    }

    [Fact]
    public async Task Ciphertext_CarriesVersionAndKeyId_AndRoundTrips()
    {
        await using var scope = app.Scope();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var user = await NewUserKeyAsync(scope);

        var cipher = await protector.EncryptAsync(user, "users.name", "Jane Doe", Ct);

        Assert.Equal(1, cipher[0]);
        var keyId = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().UserDataKeys.Where(k => k.UserId == user).Select(k => k.Id).SingleAsync(Ct);
        Assert.Equal(keyId, new Guid(cipher.AsSpan(1, 16)));
        Assert.Equal("Jane Doe", await protector.DecryptAsync(user, "users.name", cipher, Ct));
    }

    [Fact]
    public async Task Ciphertext_MovedToAnotherColumnOrUser_FailsToDecrypt()
    {
        await using var scope = app.Scope();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var alice = await NewUserKeyAsync(scope);
        var bob = await NewUserKeyAsync(scope);
        var cipher = await protector.EncryptAsync(alice, "users.email", "alice@example.com", Ct);

        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.DecryptAsync(alice, "users.name", cipher, Ct));
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.DecryptAsync(bob, "users.email", cipher, Ct));
    }

    [Fact]
    public async Task Shred_MakesEveryCopyUnreadable()
    {
        await using var scope = app.Scope();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var user = await NewUserKeyAsync(scope);
        var copy = await protector.EncryptAsync(user, "users.name", "Jane Doe", Ct);

        await protector.ShredAsync(user, Ct);

        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.DecryptAsync(user, "users.name", copy, Ct));
    }

    [Fact]
    public async Task KeysRotate_RewrapsEveryDataKey_DataStaysReadable()
    {
        await using var scope = app.Scope();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var user = await NewUserKeyAsync(scope);
        var cipher = await protector.EncryptAsync(user, "users.name", "Jane Doe", Ct);
        var keys = app.Services.GetRequiredService<KeyRing>();
        var before = keys.CurrentKeyId;
        await Task.Delay(1100, Ct); // key ids carry the second they were made

        keys.AddKekFile();
        var rewrapped = await protector.RewrapAllAsync(Ct);

        Assert.NotEqual(before, keys.CurrentKeyId);
        Assert.True(rewrapped >= 1);
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        Assert.Equal(0, await db.UserDataKeys.CountAsync(k => k.KekId != keys.CurrentKeyId, Ct));
        scope.ServiceProvider.GetRequiredService<DataKeyCache>().Remove(user);
        Assert.Equal("Jane Doe", await protector.DecryptAsync(user, "users.name", cipher, Ct));
    }

    [Fact]
    public async Task DataProtectionKeys_AreStoredEncryptedByTheKek()
    {
        await app.RegisterOwnerAsync(); // issues tokens, so a signing key exists
        await using var scope = app.Scope();
        var xml = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().DataProtectionKeys.Select(k => k.Xml).ToListAsync(Ct);

        Assert.NotEmpty(xml);
        Assert.All(xml, x =>
        {
            Assert.Contains("encryptedKey kek=", x, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", x, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("No XML encryptor configured", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyFiles_AreOwnerOnly()
    {
        _ = app.Services.GetRequiredService<KeyRing>();
        var keys = Path.Combine(app.DataDirectory, "keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        foreach (var file in Directory.EnumerateFiles(keys))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }
}
