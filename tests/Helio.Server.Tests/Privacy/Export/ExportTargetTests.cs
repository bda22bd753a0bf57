using Helio.Server.Features.Audit;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Privacy.Export;

/// <summary>
/// The SSRF guard of transfers with its default: without Privacy:Export:AllowPrivateTargets (and outside Development)
/// a transfer to a loopback address is refused with the reason, and nothing is sent.
/// </summary>
public abstract class ExportTargetTests(ExportTargetApp app)
{
    [Theory]
    [InlineData("https://127.0.0.1:9/inbox")]
    [InlineData("https://localhost:9/inbox")]
    [InlineData("https://[::ffff:127.0.0.1]:9/inbox")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    public async Task Transfer_ToAPrivateAddress_IsRefused_WithoutTheSetting(string target)
    {
        var owner = await app.RegisterOwnerAsync();

        var id = await app.VerifiedRequestAsync(owner, new { kind = "transfer", targetUrl = target, targetRegion = "EU" });
        var (request, _) = await owner.AnsweredAsync(id);

        Assert.Equal("refused", request.GetProperty("state").GetString());
        Assert.Contains("Helio does not send data to this address", request.RefusalReason(), StringComparison.Ordinal);
        Assert.Contains(await app.AuditEntriesAsync(), e => e.Action == AuditActions.PrivacyRequestRefused && e.Target == id.ToString());
    }
}

public sealed class SqliteExportTargetTests(SqliteExportTargetApp app) : ExportTargetTests(app), IClassFixture<SqliteExportTargetApp>;

public sealed class PostgresExportTargetTests(PostgresExportTargetApp app) : ExportTargetTests(app), IClassFixture<PostgresExportTargetApp>;
