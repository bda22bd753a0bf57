using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Access;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>
/// Ways into someone else's plant, written as the Access and Sharing features will write them once they are approved:
/// an after-sales grant (view or operate) live from now, or an owner's share with a person. For tests of what such a
/// person may do elsewhere (remote operations), not of how grants and shares are made.
/// </summary>
public static class PlantGrants
{
    /// <summary>An approved grant for <paramref name="engineerId"/> on the plant, running from a minute ago for <paramref name="hours"/>.</summary>
    public static async Task GrantAsync(this HelioApp app, Guid plantId, Guid engineerId, AccessScope scope, Guid approvedBy, int hours = 4)
    {
        await using var services = app.Scope();
        var db = services.ServiceProvider.GetRequiredService<HelioDbContext>();
        var protector = services.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var now = TimeProvider.System.GetUtcNow();
        db.AccessRequests.Add(new AccessRequest
        {
            Id = Guid.NewGuid(),
            PlantId = plantId,
            RequesterId = engineerId,
            Scope = scope,
            ReasonCipher = await protector.EncryptAsync(engineerId, "access_requests.reason", "Checking the export limit", TestContext.Current.CancellationToken),
            Hours = hours,
            State = AccessRequestState.Approved,
            RequestedAt = now.AddMinutes(-5),
            DecidedBy = approvedBy,
            DecidedAt = now.AddMinutes(-1),
            StartsAt = now.AddMinutes(-1),
            EndsAt = now.AddHours(hours),
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The owner's share of the plant with one person.</summary>
    public static async Task ShareAsync(this HelioApp app, Guid plantId, Guid userId, ShareScope scope, Guid ownerId)
    {
        await using var services = app.Scope();
        var db = services.ServiceProvider.GetRequiredService<HelioDbContext>();
        db.PlantShares.Add(new PlantShare { Id = Guid.NewGuid(), PlantId = plantId, UserId = userId, Scope = scope, GrantedBy = ownerId, CreatedAt = TimeProvider.System.GetUtcNow() });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
