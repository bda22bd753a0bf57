namespace Helio.Server.Features.Alarms;

/// <summary>A plant's place, for finding its neighbours.</summary>
internal readonly record struct PlantPlace(Guid Id, double Latitude, double Longitude);

/// <summary>
/// Plants near a point, from one list sorted by latitude: a binary search finds the band of latitudes within the
/// radius, a longitude window narrows it, and only what is left is measured (haversine). Built once per run of the
/// underperformance check, so finding the neighbours of every plant of a 10,000-plant fleet costs milliseconds and no
/// query per plant.
/// </summary>
internal sealed class Neighbourhood
{
    /// <summary>The mean Earth radius (IUGG): the haversine on a sphere is off by at most 0.5 %, nothing at 50 km.</summary>
    public const double EarthRadiusKm = 6371.0088;
    private const double KmPerDegree = Math.PI * EarthRadiusKm / 180;

    private readonly PlantPlace[] places;
    private readonly double[] latitudes;

    public Neighbourhood(IEnumerable<PlantPlace> plants)
    {
        places = plants.OrderBy(p => p.Latitude).ToArray();
        latitudes = places.Select(p => p.Latitude).ToArray();
    }

    /// <summary>The plants within <paramref name="radiusKm"/> of the point, the plant at the point itself included.</summary>
    public List<PlantPlace> Within(double latitude, double longitude, double radiusKm)
    {
        var band = radiusKm / KmPerDegree;
        // Degrees of longitude shrink towards the poles: size the window at the band's edge nearest a pole, where
        // the same kilometres span the most degrees, so that the window never drops a plant the radius includes.
        var poleward = Math.Min(90, Math.Abs(latitude) + band);
        var cos = Math.Cos(poleward * Math.PI / 180);
        var window = cos > 1e-6 ? band / cos : 360;
        var found = new List<PlantPlace>();
        for (var i = FirstAtOrAbove(latitude - band); i < places.Length && latitudes[i] <= latitude + band; i++)
        {
            var place = places[i];
            if (LongitudeGap(place.Longitude, longitude) <= window && DistanceKm(latitude, longitude, place.Latitude, place.Longitude) <= radiusKm)
            {
                found.Add(place);
            }
        }
        return found;
    }

    /// <summary>Great-circle distance (haversine).</summary>
    public static double DistanceKm(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(latitude2 - latitude1);
        var dLon = Radians(longitude2 - longitude1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Radians(latitude1)) * Math.Cos(Radians(latitude2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Degrees between two longitudes the short way round (across the antimeridian too).</summary>
    private static double LongitudeGap(double a, double b)
    {
        var gap = Math.Abs(a - b) % 360;
        return gap > 180 ? 360 - gap : gap;
    }

    private int FirstAtOrAbove(double latitude)
    {
        var (lo, hi) = (0, latitudes.Length);
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            (lo, hi) = latitudes[mid] < latitude ? (mid + 1, hi) : (lo, mid);
        }
        return lo;
    }
}
