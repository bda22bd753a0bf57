using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Plants;

/// <summary>
/// Every access rule runs inside every request for a plant, so each branch must reach its rows through an index:
/// a branch that scans a whole table (all plants, all shares of the platform) is fast in a test world and slow in a
/// fleet. SQLite's plans are read without statistics, as a new database has none, so they do not depend on the data
/// the other tests leave behind.
/// </summary>
public sealed class AccessRulePlanTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    public static TheoryData<string> Rules => ["see", "manage", "operate", "api account reads"];

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task EachBranchOfTheRule_SearchesAnIndex_AndScansNoTable(string rule)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var access = scope.ServiceProvider.GetRequiredService<PlantAccess>();
        var caller = Guid.NewGuid();
        var query = rule switch
        {
            "see" => access.Visible(caller),
            "manage" => access.Manageable(caller),
            "operate" => access.Operable(caller),
            _ => db.Plants.Where(PlantAccess.Inline<Func<Plant, bool>>(p => PlantAccess.ApiAccountReads(db, caller, p))),
        };

        var plan = await PlanAsync(db, query.OrderBy(p => p.Name));

        Assert.Contains(plan, step => step.StartsWith("SEARCH ", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.StartsWith("SCAN (subquery", StringComparison.Ordinal));
    }

    private static async Task<List<string>> PlanAsync(HelioDbContext db, IQueryable<Plant> query)
    {
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var steps = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            steps.Add(reader.GetString(3));
        }
        return steps;
    }
}
