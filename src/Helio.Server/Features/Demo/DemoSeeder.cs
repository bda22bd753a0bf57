using System.Security.Cryptography;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Demo;

/// <summary>
/// With --demo: a confirmed demo owner with three plants and their devices. The password is random and
/// printed once on the console (never logged); later runs leave the account alone.
/// </summary>
internal sealed class DemoSeeder(HelioDbContext db, RegisterAccount register, UserManager<User> users, TimeProvider time)
{
    public const string Email = "demo@helio.example";

    private static readonly (string Name, double Lat, double Lon, string Zone, string Country, double Kwp, string Inverter, string Logger, string Model)[] Plants =
    [
        ("Home roof", 48.137, 11.575, "Europe/Berlin", "DE", 9.8, "SS1ES120P38069", "2712345678", "SOFAR 10KTLX-G3"),
        ("Barn east", 52.370, 4.895, "Europe/Amsterdam", "NL", 29.5, "SF4ES030M12345", "2712345679", "SOFAR 30KTLX-G3"),
        ("Holiday house", 38.722, -9.139, "Europe/Lisbon", "PT", 5.0, "SA1ES050N77001", "2712345680", "SOFAR 5KTLM-G3"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(Email) is not null)
        {
            Console.WriteLine($"Demo owner {Email} exists; its password was printed when it was created (use \"Forgot password\" if it is lost: mails go to the data directory's mail-outbox/).");
            return;
        }
        var password = "demo-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await register.CreateUserAsync(Email, "+4915123456789", password, "Demo Owner", "DE", cancellationToken);
        var owner = created.Value ?? throw new InvalidOperationException("The demo owner could not be created.");
        owner.EmailConfirmed = true;
        var now = time.GetUtcNow();
        foreach (var p in Plants)
        {
            var plant = new Plant
            {
                Id = Guid.NewGuid(), OwnerId = owner.Id, Name = p.Name, Latitude = p.Lat, Longitude = p.Lon, Country = p.Country,
                TimeZone = p.Zone, CapacityKwp = p.Kwp, CommissioningDate = new DateOnly(2024, 4, 1), FeedInTariff = 0.08m, Currency = "EUR",
                CreatedAt = now, UpdatedAt = now,
            };
            db.Plants.Add(plant);
            db.Devices.Add(new Device { Id = Guid.NewGuid(), SerialNumber = p.Inverter, Kind = DeviceKind.Inverter, Model = p.Model, PlantId = plant.Id, CreatedAt = now });
            db.Devices.Add(new Device { Id = Guid.NewGuid(), SerialNumber = p.Logger, Kind = DeviceKind.Logger, Model = "LSW-3", PlantId = plant.Id, CreatedAt = now });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Console.WriteLine();
        Console.WriteLine("  Demo owner created. Sign in with (shown once):");
        Console.WriteLine($"    e-mail:   {Email}");
        Console.WriteLine($"    password: {password}");
        Console.WriteLine();
    }
}
