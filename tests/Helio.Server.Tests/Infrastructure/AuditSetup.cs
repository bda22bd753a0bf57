using System.Net;
using System.Text.RegularExpressions;
using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>
/// What the access tests need before the features that make them have their own endpoints: platform roles, shares and
/// approved after-sales grants written as those features store them, plus a look at the audit trail.
/// </summary>
public static partial class AuditSetup
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task AddRoleAsync(this HelioApp app, Guid userId, string role)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        db.UserRoles.Add(new UserRole { UserId = userId, Role = role });
        await db.SaveChangesAsync(Ct);
    }

    public static async Task ShareAsync(this HelioApp app, Guid plantId, Guid ownerId, Guid withUserId, ShareScope scope = ShareScope.View)
    {
        await using var services = app.Scope();
        var db = services.ServiceProvider.GetRequiredService<HelioDbContext>();
        db.PlantShares.Add(new PlantShare { Id = Guid.CreateVersion7(), PlantId = plantId, UserId = withUserId, Scope = scope, GrantedBy = ownerId, CreatedAt = DateTimeOffset.UnixEpoch });
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>An after-sales grant the owner approved, running from a day ago for a week.</summary>
    public static async Task GrantAfterSalesAsync(this HelioApp app, Guid plantId, Guid ownerId, Guid engineerId)
    {
        await using var services = app.Scope();
        var db = services.ServiceProvider.GetRequiredService<HelioDbContext>();
        var now = services.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        db.AccessRequests.Add(new AccessRequest
        {
            Id = Guid.CreateVersion7(), PlantId = plantId, RequesterId = engineerId, Scope = AccessScope.View, ReasonCipher = [1, 2, 3], Hours = 168,
            State = AccessRequestState.Approved, RequestedAt = now.AddDays(-1), DecidedBy = ownerId, DecidedAt = now.AddDays(-1),
            StartsAt = now.AddDays(-1), EndsAt = now.AddDays(6),
        });
        await db.SaveChangesAsync(Ct);
    }

    public static async Task<List<AuditEntry>> AuditEntriesAsync(this HelioApp app)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().AuditEntries.AsNoTracking().OrderBy(e => e.Seq).ToListAsync(Ct);
    }

    public static async Task<Guid?> PseudonymOfAsync(this HelioApp app, Guid userId)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().AuditPseudonyms.Where(p => p.UserId == userId).Select(p => (Guid?)p.Pseudonym).SingleOrDefaultAsync(Ct);
    }

    public static async Task<AuditVerification> VerifyAuditAsync(this HelioApp app)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(null, Ct);
    }

    /// <summary>A browser session: the sign-in form posted with its antiforgery fields, the cookie kept.</summary>
    public static async Task<HttpClient> BrowserAsync(this HelioApp app, Owner owner)
    {
        app.RequireAvailable();
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://localhost") });
        var form = await browser.GetStringAsync("/account/sign-in", Ct);
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["Input.Login"] = owner.Email;
        fields["Input.Password"] = owner.Password;
        var response = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in answered {(int)response.StatusCode}");
        return browser;
    }

    /// <summary>The hidden fields (antiforgery token, form name) of the forms on a page.</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html).GroupBy(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
