using System.Globalization;
using System.Security.Cryptography;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Demo;

/// <summary>
/// With --demo: a confirmed demo owner with three plants and their loggers, then the demo switched on. The password
/// is random and printed once on the console (never logged); later runs leave the account alone.
/// </summary>
internal sealed class DemoSeeder(HelioDbContext db, RegisterAccount register, UserManager<User> users, DemoMode demo, TimeProvider time)
{
    public const string Email = "demo@helio.example";

    /// <summary>An adult: no guardian is asked for the demo owner.</summary>
    private static readonly DateOnly DemoOwnerBirth = new(1980, 4, 1);

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await SeedOwnerAsync(cancellationToken);
        // Every demo run, also on an existing demo database: the plants' loggers go live (DemoLoggers).
        demo.SwitchOn();
    }

    private async Task SeedOwnerAsync(CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(Email) is not null)
        {
            Console.WriteLine($"Demo owner {Email} exists; its password was printed when it was created (use \"Forgot password\" if it is lost: mails go to the data directory's mail-outbox/).");
            return;
        }
        var password = "demo-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await register.CreateUserAsync(Email, "+4915123456789", password, "Demo Owner", "DE", DemoOwnerBirth, cancellationToken);
        var owner = created.Value ?? throw new InvalidOperationException("The demo owner could not be created.");
        owner.EmailConfirmed = true;
        var now = time.GetUtcNow();
        foreach (var p in DemoPlants.All)
        {
            var plant = new Plant
            {
                Id = Guid.NewGuid(), OwnerId = owner.Id, Name = p.Name, Latitude = p.Latitude, Longitude = p.Longitude, Country = p.Country,
                TimeZone = p.TimeZone, CapacityKwp = p.CapacityKwp, CommissioningDate = new DateOnly(2024, 4, 1), FeedInTariff = 0.08m, Currency = "EUR",
                CreatedAt = now, UpdatedAt = now,
            };
            db.Plants.Add(plant);
            // Only the logger, as an owner registers it: the gateway adds the inverter it finds behind it (DemoLoggers).
            db.Devices.Add(new Device { Id = Guid.NewGuid(), SerialNumber = p.LoggerSerial.ToString("D10", CultureInfo.InvariantCulture), Kind = DeviceKind.Logger, Model = "LSW-3", PlantId = plant.Id, CreatedAt = now });
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
