using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Web;

/// <summary>
/// What a failed form submission shows: messages next to their fields (keys are the use cases' JSON
/// names) and one message above the form. The status code tells tests and tools the post failed.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, string[]> fields = new(StringComparer.Ordinal);

    public string? Message { get; private set; }

    public bool Any => Message is not null || fields.Count > 0;

    public IReadOnlyList<string> For(string field) => fields.TryGetValue(field, out var messages) ? messages : [];

    /// <summary>For aria-invalid, which Pico styles: null leaves the attribute out.</summary>
    public string? Invalid(string field) => fields.ContainsKey(field) ? "true" : null;

    public void Add(string field, string message) =>
        fields[field] = fields.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public void Show<T>(Outcome<T> outcome, HttpContext http)
    {
        // A bare NotFound says nothing by itself; the page was rendered from data that has since gone.
        Message = outcome.Message ?? (outcome.Kind == OutcomeKind.NotFound ? "It no longer exists; reload the page." : null);
        foreach (var (field, messages) in outcome.Errors ?? new Dictionary<string, string[]>())
        {
            fields[field] = messages;
        }
        ResponseStatus.Set(http, outcome.Kind switch
        {
            OutcomeKind.NotFound => StatusCodes.Status404NotFound,
            OutcomeKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        });
    }

    /// <summary>Field errors found by the page itself (e.g. a number that does not parse).</summary>
    public void Fail(HttpContext http) => ResponseStatus.Set(http, StatusCodes.Status422UnprocessableEntity);

    /// <summary>Messages of fields this form has no input for (e.g. a mailed link's "token").</summary>
    public IEnumerable<string> Except(params string[] shown) =>
        fields.Where(f => !shown.Contains(f.Key, StringComparer.Ordinal)).SelectMany(f => f.Value);
}
