using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Access;

/// <summary>
/// Setting up after-sales scenes. Organisations, their members and shares are written straight to the database: the
/// Organisations and Sharing features own their endpoints, and these tests are about what access follows from them.
/// Everything else goes through the API.
/// </summary>
internal static class AccessSetup
{
    public const string Reason = "The inverter reports ID05 every morning; I need to look at its history.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<HttpResponseMessage> AskAsync(this Owner engineer, Guid plantId, string scope = "view", int hours = 24, string reason = Reason) =>
        await engineer.Client.PostAsJsonAsync("/api/v1/access-requests", new { plantId, scope, reason, hours }, Ct);

    /// <summary>Asks and expects the request to be created; returns its id.</summary>
    public static async Task<Guid> RequestAsync(this Owner engineer, Guid plantId, string scope = "view", int hours = 24)
    {
        var response = await engineer.AskAsync(plantId, scope, hours);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> ActAsync(this Owner who, Guid requestId, string action) =>
        who.Client.PostAsync($"/api/v1/access-requests/{requestId}/{action}", null, Ct);

    public static async Task<JsonElement> ActOkAsync(this Owner who, Guid requestId, string action)
    {
        var response = await who.ActAsync(requestId, action);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.JsonAsync();
    }

    /// <summary>A support engineer with an approved grant on a fresh plant of a fresh owner.</summary>
    public static async Task<(Owner Owner, Guid Plant, Owner Engineer, Guid Request)> GrantedAsync(this HelioApp app, string scope = "view", int hours = 24, string? phone = null)
    {
        var owner = await app.RegisterOwnerAsync(phone: phone);
        var plant = await owner.CreatePlantAsync("Granted roof");
        var engineer = await app.RegisterStaffAsync(Roles.Support);
        var request = await engineer.RequestAsync(plant, scope, hours);
        await owner.ActOkAsync(request, "approve");
        return (owner, plant, engineer, request);
    }

    public static async Task<Guid> CreateOrganisationAsync(this HelioApp app, string name = "Sunny Installers")
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = name, CreatedAt = DateTimeOffset.UtcNow };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(Ct);
        return organisation.Id;
    }

    public static async Task JoinAsync(this HelioApp app, Guid organisationId, Owner user, OrganisationRole role)
    {
        var userId = await user.UserIdAsync();
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        db.OrganisationMembers.Add(new OrganisationMember { OrganisationId = organisationId, UserId = userId, Role = role, JoinedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(Ct);
    }

    public static async Task<Guid> ShareAsync(this HelioApp app, Guid plantId, Guid organisationId, ShareScope scope)
    {
        await using var services = app.Scope();
        var db = services.ServiceProvider.GetRequiredService<HelioDbContext>();
        var ownerId = await db.Plants.Where(p => p.Id == plantId).Select(p => p.OwnerId).SingleAsync(Ct);
        var share = new PlantShare { Id = Guid.NewGuid(), PlantId = plantId, OrganisationId = organisationId, Scope = scope, GrantedBy = ownerId, CreatedAt = DateTimeOffset.UtcNow };
        db.PlantShares.Add(share);
        await db.SaveChangesAsync(Ct);
        return share.Id;
    }

    public static async Task RevokeShareAsync(this HelioApp app, Guid shareId)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        await db.PlantShares.Where(s => s.Id == shareId).ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow), Ct);
    }

    /// <summary>The plant's audit entries, oldest first, with their actor and subject mapped back from pseudonyms.</summary>
    public static async Task<List<(string Action, Guid? Actor, AuditActorKind ActorKind, Guid? Subject, string? Target, string? Detail)>> AuditAsync(this HelioApp app, Guid? plantId = null, Guid? subjectUserId = null)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var people = await db.AuditPseudonyms.ToDictionaryAsync(p => p.Pseudonym, p => p.UserId, Ct);
        var subject = subjectUserId is { } s ? people.FirstOrDefault(p => p.Value == s).Key : (Guid?)null;
        var entries = await db.AuditEntries.Where(e => (plantId == null || e.PlantId == plantId) && (subject == null || e.SubjectId == subject))
            .OrderBy(e => e.Seq).ToListAsync(Ct);
        return [.. entries.Select(e => (e.Action,
            e.ActorKind == AuditActorKind.User && e.ActorId is { } a ? people.GetValueOrDefault(a) : e.ActorId,
            e.ActorKind,
            e.SubjectId is { } sub ? people.GetValueOrDefault(sub) : (Guid?)null,
            e.Target, e.Detail))];
    }
}
