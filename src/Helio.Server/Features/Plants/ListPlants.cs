using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Plants;

public sealed record ListPlantsQuery(string? Q, string? Sort, int? Page, int? PageSize);

/// <summary>The user's plants, searched by name and paged (page size up to 200, default 50).</summary>
internal sealed class ListPlants(HelioDbContext db, PlantAccess access)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public async Task<Outcome<Paged<PlantListItem>>> HandleAsync(Guid userId, ListPlantsQuery query, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Optional("q", query.Q, maxLength: 100)
            .Range("page", query.Page, 1, 100_000, required: false)
            .Range("pageSize", query.PageSize, 1, MaxPageSize, required: false);
        if (query.Sort is not (null or "name" or "-name" or "capacity" or "-capacity" or "created" or "-created"))
        {
            validation.Add("sort", "Must be one of name, capacity, created, optionally prefixed with '-' for descending.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var page = query.Page ?? 1;
        var size = query.PageSize ?? DefaultPageSize;
        var plants = access.Visible(userId);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var term = query.Q.Trim().ToLowerInvariant();
            // Translated to SQL lower(); it never runs in .NET, so culture does not enter.
#pragma warning disable RS0030
            plants = plants.Where(p => p.Name.ToLower().Contains(term));
#pragma warning restore RS0030
        }
        var filtered = plants;
        plants = query.Sort switch
        {
            "-name" => plants.OrderByDescending(p => p.Name).ThenBy(p => p.Id),
            "capacity" => plants.OrderBy(p => p.CapacityKwp).ThenBy(p => p.Id),
            "-capacity" => plants.OrderByDescending(p => p.CapacityKwp).ThenBy(p => p.Id),
            "created" => plants.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id),
            "-created" => plants.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id),
            _ => plants.OrderBy(p => p.Name).ThenBy(p => p.Id),
        };
        // One round trip: the total rides along as an uncorrelated subquery the database evaluates once.
        var rows = await plants.Skip((page - 1) * size).Take(size)
            .Select(p => new
            {
                Item = new PlantListItem(p.Id, p.Name, p.Latitude, p.Longitude, p.TimeZone, p.CapacityKwp, db.Devices.Count(d => d.PlantId == p.Id)),
                Total = filtered.Count(),
            })
            .ToListAsync(cancellationToken);
        var total = rows.Count > 0 ? rows[0].Total : await filtered.CountAsync(cancellationToken);
        var items = rows.Select(r => r.Item).ToList();
        return new Paged<PlantListItem>(items, total, page, size);
    }
}
