using Helio.Server.Features.Privacy.Lifecycle.Retention;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>The daily retention job run on demand (apps that set Privacy:Retention:Enabled false), and what it leaves.</summary>
public static class Retention
{
    public static async Task<RetentionRun> RunRetentionAsync(this HelioApp app)
    {
        var run = await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(run);
        return run;
    }

    public static async Task<bool> UserExistsAsync(this HelioApp app, Guid userId)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Users.AnyAsync(u => u.Id == userId, TestContext.Current.CancellationToken);
    }
}
