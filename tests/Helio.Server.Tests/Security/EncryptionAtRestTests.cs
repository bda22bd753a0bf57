using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helio.Server.Tests.Security;

/// <summary>
/// The database, its files and dumps, the logs and the error responses never hold a user's name, e-mail
/// or phone in plaintext: only ciphertext and keyed blind indexes.
/// </summary>
public abstract class EncryptionAtRestTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<string>> SeedPersonalDataAsync()
    {
        var secrets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var name = $"Zebulon{Guid.NewGuid():N}"[..18];
            var phone = Owners.UniquePhone();
            var owner = await app.RegisterOwnerAsync(phone: phone, name: name + " Quixote");
            var plant = await owner.Client.PostAsJsonAsync("/api/v1/plants", new { name = "Roof", latitude = 1, longitude = 1, timeZone = "UTC", capacityKwp = 3, address = $"Secretstrasse {i} {name}" }, Ct);
            plant.EnsureSuccessStatusCode();
            // A bad request and a failed sign-in carrying the personal data: neither may echo or log it.
            await app.Anonymous().PostAsJsonAsync("/api/v1/account/register", new { email = owner.Email, phone = phone + "x", password = "x", name, country = "??" }, Ct);
            await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = "wrong password" }, Ct);
            secrets.AddRange([owner.Email, phone, phone[1..], name, $"Secretstrasse {i}"]);
        }
        return secrets;
    }

    protected abstract Task<byte[]> DumpDatabaseAsync();

    [Fact]
    public async Task DatabaseDump_HoldsNoPlaintextPersonalData()
    {
        var secrets = await SeedPersonalDataAsync();

        var dump = await DumpDatabaseAsync();

        Assert.True(dump.Length > 10_000, "the dump looks empty");
        var text = Encoding.UTF8.GetString(dump);
        var latin1 = Encoding.Latin1.GetString(dump);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, latin1, StringComparison.OrdinalIgnoreCase);
            // SQLite and PostgreSQL may store text as UTF-16 in places: look for that too.
            Assert.DoesNotContain(secret, Encoding.Unicode.GetString(dump), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task LogsAndErrorResponses_HoldNoPersonalData()
    {
        var secrets = await SeedPersonalDataAsync();
        var failed = await app.Anonymous().PostAsJsonAsync("/api/v1/account/register", new { email = secrets[0] + "@@", phone = secrets[1] + "#", password = "x", name = secrets[3] + new string('y', 200), country = "DE" }, Ct);
        var body = await failed.Content.ReadAsStringAsync(Ct);

        var logs = string.Join("\n", app.Logs.Lines);
        Assert.NotEmpty(app.Logs.Lines);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
    }
}

public sealed class SqliteEncryptionAtRestTests(SqliteApp app) : EncryptionAtRestTests(app), IClassFixture<SqliteApp>
{
    /// <summary>The raw bytes of the database file and its WAL, as a backup would copy them.</summary>
    protected override async Task<byte[]> DumpDatabaseAsync()
    {
        var bytes = new List<byte>();
        foreach (var file in Directory.EnumerateFiles(app.DataDirectory, "helio.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, TestContext.Current.CancellationToken);
            bytes.AddRange(memory.ToArray());
        }
        return [.. bytes];
    }
}

public sealed class PostgresEncryptionAtRestTests(PostgresApp app) : EncryptionAtRestTests(app), IClassFixture<PostgresApp>
{
    /// <summary>What pg_dump writes: the form a backup takes.</summary>
    protected override async Task<byte[]> DumpDatabaseAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(app.ConnectionString);
        var start = new ProcessStartInfo("pg_dump", ["--no-owner", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, builder.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(start)!;
        using var memory = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(memory, TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        return memory.ToArray();
    }
}
