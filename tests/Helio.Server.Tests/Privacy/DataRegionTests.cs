using System.Net;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Data regions: the deployment declares its region (EU here), each account records it as its home region at
/// registration, and a transfer out of the region goes ahead only on a basis recorded for the destination (GB:
/// adequacy; US: consent, asked for the transfer; CN: standard contract), otherwise it is refused with the reason.
/// Every decision is audited. A deployment with a malformed declaration does not start.
/// </summary>
public abstract class DataRegionTests(PrivacyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accounts_RecordTheDeploymentsRegion_AtRegistration()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await owner.UserIdAsync();

        await using var scope = app.Scope();
        Assert.Equal("EU", await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Users.Where(u => u.Id == id).Select(u => u.HomeRegion).SingleAsync(Ct));
    }

    [Theory]
    [InlineData("EU", false, true, null)]
    [InlineData("GB", false, true, TransferBasis.Adequacy)]
    [InlineData("CN", false, true, TransferBasis.StandardContract)]
    [InlineData("US", true, true, TransferBasis.Consent)]
    [InlineData("US", false, false, TransferBasis.Consent)]
    [InlineData("JP", true, false, null)]
    public async Task Transfers_NeedARecordedBasis(string destination, bool consented, bool allowed, TransferBasis? basis)
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await owner.UserIdAsync();
        var pseudonym = await app.PseudonymAsync(id);

        Outcome<TransferDecision> outcome;
        await using (var scope = app.Scope())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<TransferPolicy>().DecideAsync(id, TransferKind.Transfer, destination, consented, Ct);
        }

        var decision = outcome.Value!;
        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(basis, decision.Basis);
        Assert.Equal("EU", decision.From);
        if (allowed)
        {
            Assert.Null(decision.Reason);
        }
        else
        {
            Assert.Contains(destination, decision.Reason, StringComparison.Ordinal);
        }
        var recorded = (await app.AuditEntriesAsync()).Where(e => e.SubjectId == pseudonym && e.Action is AuditActions.TransferAllowed or AuditActions.TransferRefused).ToList();
        if (destination == "EU")
        {
            Assert.Empty(recorded);
        }
        else
        {
            var entry = Assert.Single(recorded);
            Assert.Equal(allowed ? AuditActions.TransferAllowed : AuditActions.TransferRefused, entry.Action);
            Assert.Equal(destination, entry.Target);
            Assert.Contains("\"to\":\"" + destination + "\"", entry.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownRegionCode_IsRefusedAsInput()
    {
        var id = await (await app.RegisterOwnerAsync()).UserIdAsync();
        await using var scope = app.Scope();

        var outcome = await scope.ServiceProvider.GetRequiredService<TransferPolicy>().DecideAsync(id, TransferKind.Export, "somewhere nice", false, Ct);

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.True(outcome.Errors!.ContainsKey("destinationRegion"));
    }

    [Fact]
    public async Task AdminsSeeTheRegionAndTheBasesOnRecord_NobodyElse()
    {
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);

        var regions = await (await admin.Client.GetAsync("/api/v1/admin/privacy/regions", Ct)).JsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await dpo.Client.GetAsync("/api/v1/admin/privacy/regions", Ct)).StatusCode);
        Assert.Equal("EU", regions.GetProperty("deploymentRegion").GetString());
        var bases = regions.GetProperty("transferBases").EnumerateArray().ToDictionary(b => b.GetProperty("region").GetString()!, b => b.GetProperty("basis").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["CN"] = "standard-contract", ["GB"] = "adequacy", ["US"] = "consent" }, bases);
        Assert.Contains(regions.GetProperty("accountsByHomeRegion").EnumerateArray(), r => r.GetProperty("region").GetString() == "EU" && r.GetProperty("accounts").GetInt32() >= 2);
    }

    [Fact]
    public async Task AMalformedDeclaration_StopsTheStart()
    {
        app.RequireAvailable();
        await using var misconfigured = new MisconfiguredApp(app.Provider);
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await misconfigured.InitializeAsync());
        Assert.Contains("Privacy:Transfers:US:Basis", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("Privacy:Region", failure.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A region that is no region code, and a basis Helio does not know.</summary>
    private sealed class MisconfiguredApp(Provider provider) : HelioApp(provider)
    {
        protected override void ConfigureMore(IWebHostBuilder builder)
        {
            builder.UseSetting("Privacy:Region", "Europe!");
            builder.UseSetting("Privacy:Transfers:US:Basis", "trust-me");
            builder.UseSetting("Privacy:Transfers:US:Reference", "none");
        }
    }
}

public sealed class SqliteDataRegionTests(SqlitePrivacyClockApp app) : DataRegionTests(app), IClassFixture<SqlitePrivacyClockApp>;

public sealed class PostgresDataRegionTests(PostgresPrivacyClockApp app) : DataRegionTests(app), IClassFixture<PostgresPrivacyClockApp>;
