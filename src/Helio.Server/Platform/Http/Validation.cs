namespace Helio.Server.Platform.Http;

/// <summary>Collects field errors in the order they are found; names are the JSON property names.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public IDictionary<string, string[]> Errors => errors;

    public Validation Add(string field, string message)
    {
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    public Validation Require(string field, string? value, int maxLength, int minLength = 1)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return minLength > 0 ? Add(field, "Required.") : this;
        }
        if (value.Trim().Length < minLength)
        {
            return Add(field, $"Must be at least {minLength} characters.");
        }
        return value.Length > maxLength ? Add(field, $"Must be at most {maxLength} characters.") : this;
    }

    public Validation Optional(string field, string? value, int maxLength) =>
        value is not null && value.Length > maxLength ? Add(field, $"Must be at most {maxLength} characters.") : this;

    public Validation Range(string field, double? value, double min, double max, bool required = true)
    {
        if (value is null)
        {
            return required ? Add(field, "Required.") : this;
        }
        return double.IsFinite(value.Value) && value >= min && value <= max
            ? this
            : Add(field, $"Must be between {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} and {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    public Refusal ToRefusal() => Refusal.Invalid(errors);
}
