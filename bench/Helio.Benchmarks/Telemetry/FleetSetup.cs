using Helio.Server.Features.Accounts;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;

namespace Helio.Benchmarks.Telemetry;

/// <summary>An owner, plants and their registered inverters, added through the server's own entities.</summary>
internal static class FleetSetup
{
    public static async Task<Guid> CreateOwnerAsync(HelioDbContext db, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        db.Users.Add(new User
        {
            Id = id,
            EmailIndex = id.ToByteArray(),
            EmailCipher = [1],
            NameCipher = [1],
            Country = "DE",
            SecurityStamp = "bench",
            ConcurrencyStamp = "bench",
            AcceptedPolicyVersion = "1.0",
            EmailConfirmed = true,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    /// <summary>One plant per entry of <paramref name="plants"/>, owned by <paramref name="owner"/>, with its inverters' serials.</summary>
    public static async Task CreatePlantsAsync(HelioDbContext db, Guid owner, IEnumerable<(Guid Id, string Name, GeneratedSite Site, string[] Inverters)> plants, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, name, site, inverters) in plants)
        {
            db.Plants.Add(new Plant
            {
                Id = id,
                OwnerId = owner,
                Name = name,
                Latitude = site.Latitude,
                Longitude = site.Longitude,
                Country = "DE",
                TimeZone = site.Zone.Id,
                CapacityKwp = site.CapacityKwp,
                FeedInTariff = 0.082m,
                Currency = "EUR",
                CreatedAt = now,
                UpdatedAt = now,
            });
            foreach (var serial in inverters)
            {
                db.Devices.Add(new Device { Id = Guid.NewGuid(), SerialNumber = serial, Kind = DeviceKind.Inverter, Model = "HYD 6000-EP", PlantId = id, CreatedAt = now });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
