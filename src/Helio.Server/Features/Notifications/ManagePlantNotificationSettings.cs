using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// A user's override for one plant they can see: read, set, or remove (back to the general settings). The plant is
/// checked first, so a foreign plant gets the same 404 as a missing one whatever the body.
/// </summary>
internal sealed class ManagePlantNotificationSettings(HelioDbContext db, PlantAccess access, TimeProvider time)
{
    public async Task<Outcome<PlantNotificationSettingsDto>> GetAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        if (!await CanSeeAsync(userId, plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        if (await db.PlantNotificationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId && s.PlantId == plantId, cancellationToken) is { } own)
        {
            return ToDto(own);
        }
        var general = await db.NotificationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken) ?? new NotificationSettings();
        return new PlantNotificationSettingsDto(plantId, false, general.MinSeverity, general.Email, general.Push, false);
    }

    /// <summary>All the user's overrides, for the settings page.</summary>
    public async Task<IReadOnlyList<PlantNotificationSettingsDto>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var visible = access.Visible(userId).Select(p => p.Id);
        var rows = await db.PlantNotificationSettings.AsNoTracking()
            .Where(s => s.UserId == userId && visible.Contains(s.PlantId))
            .ToListAsync(cancellationToken);
        return rows.Select(ToDto).ToList();
    }

    /// <summary>The plants the user can see, by name, for the settings page (as many as one page of the plant list).</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> PlantsAsync(Guid userId, CancellationToken cancellationToken) =>
        (await access.Visible(userId).OrderBy(p => p.Name).ThenBy(p => p.Id).Take(200).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken))
            .Select(p => (p.Id, p.Name)).ToList();

    public async Task<Outcome<PlantNotificationSettingsDto>> SetAsync(Guid userId, Guid plantId, PlantNotificationSettingsRequest request, CancellationToken cancellationToken)
    {
        if (!await CanSeeAsync(userId, plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var validation = new Validation();
        if (request.MinSeverity is not { } severity)
        {
            validation.Add("minSeverity", "Required.");
        }
        else if (!Enum.IsDefined(severity))
        {
            validation.Add("minSeverity", "Must be info, warning, major or critical.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var row = await db.PlantNotificationSettings.FirstOrDefaultAsync(s => s.UserId == userId && s.PlantId == plantId, cancellationToken);
        if (row is null)
        {
            row = new PlantNotificationSettings { UserId = userId, PlantId = plantId };
            db.PlantNotificationSettings.Add(row);
        }
        row.MinSeverity = request.MinSeverity!.Value;
        row.Email = request.Email ?? true;
        row.Push = request.Push ?? true;
        row.Muted = request.Muted ?? false;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(row);
    }

    public async Task<Outcome<Done>> RemoveAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        if (!await CanSeeAsync(userId, plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        await db.PlantNotificationSettings.Where(s => s.UserId == userId && s.PlantId == plantId).ExecuteDeleteAsync(cancellationToken);
        return new Done();
    }

    private Task<bool> CanSeeAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        access.Visible(userId).AnyAsync(p => p.Id == plantId, cancellationToken);

    private static PlantNotificationSettingsDto ToDto(PlantNotificationSettings s) => new(s.PlantId, true, s.MinSeverity, s.Email, s.Push, s.Muted);
}
