using Helio.Server.Features.Demo;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.Extensions.Options;

namespace Helio.Server.Platform.Hosting;

/// <summary>What runs once before the server takes requests: migrations, then the demo data when asked.</summary>
internal static class Startup
{
    public static async Task PrepareAsync(this WebApplication app, bool demo, CancellationToken cancellationToken = default)
    {
        // Load (or on first run create) the root keys now: a bad key configuration stops the start, not a later request.
        app.Services.GetRequiredService<KeyRing>();
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
        // Registration accepts the current privacy policy: the first start creates version 1.0.
        await Features.Privacy.Policy.FirstPolicy.EnsureAsync(app.Services, cancellationToken);
        if (demo)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
        }
        app.Services.GetRequiredService<StartupState>().Migrated = true;
    }
}
