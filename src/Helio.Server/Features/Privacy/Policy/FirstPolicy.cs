using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// A Helio without a policy could not register anyone (registration accepts the current version), so the first start
/// creates version 1.0 from the policy text shipped in the binary (<c>seed-policy.md</c>, the seed's text with Markdown
/// headings). It takes effect on the date the text itself names. Several nodes starting at once: the version label is
/// the key, so one insert wins and the others find it there.
/// </summary>
internal static class FirstPolicy
{
    public const string Version = "1.0";
    public const string Title = "Privacy Policy";
    public static readonly DateTimeOffset EffectiveAt = new(2023, 9, 4, 0, 0, 0, TimeSpan.Zero);

    public static async Task EnsureAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        if (await db.PolicyVersions.AnyAsync(cancellationToken))
        {
            return;
        }
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        db.PolicyVersions.Add(new PolicyVersion
        {
            Version = Version,
            Title = Title,
            BodyMarkdown = await TextAsync(cancellationToken),
            Summary = "The first version.",
            Material = true,
            EffectiveAt = EffectiveAt,
            CreatedAt = now,
            PublishedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node created it first.
        }
    }

    public static async Task<string> TextAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(FirstPolicy).Assembly.GetManifestResourceStream("Helio.seed-policy.md")
            ?? throw new InvalidOperationException("The seed policy is missing from the build.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
