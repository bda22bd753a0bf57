namespace Helio.Server.Platform.Http;

/// <summary>
/// What a use case answers, independent of HTTP or the web UI: a value, field errors, or one of the few
/// refusals. Endpoints turn it into typed results; Razor pages show it on the form.
/// </summary>
public readonly record struct Outcome<T>(OutcomeKind Kind, T? Value, IDictionary<string, string[]>? Errors, string? Message)
{
    public bool IsSuccess => Kind == OutcomeKind.Ok;

    /// <summary>Passes a failure on as another use case's failure.</summary>
    public Refusal ToRefusal() => IsSuccess ? throw new InvalidOperationException("A success is not a refusal.") : new(Kind, Errors, Message);

    public static implicit operator Outcome<T>(T value) => new(OutcomeKind.Ok, value, null, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(refusal.Kind, default, refusal.Errors, refusal.Message);
}

public enum OutcomeKind { Ok, Invalid, NotFound, Conflict, Unauthorized, Forbidden }

/// <summary>A use case's "no", convertible to any <see cref="Outcome{T}"/>.</summary>
public sealed record Refusal(OutcomeKind Kind, IDictionary<string, string[]>? Errors, string? Message)
{
    public static Refusal Invalid(IDictionary<string, string[]> errors) => new(OutcomeKind.Invalid, errors, null);

    public static Refusal Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Missing and foreign are the same answer: the caller must not learn that someone else's object exists.</summary>
    public static Refusal NotFound { get; } = new(OutcomeKind.NotFound, null, null);

    public static Refusal Conflict(string message) => new(OutcomeKind.Conflict, null, message);

    public static Refusal Unauthorized(string message) => new(OutcomeKind.Unauthorized, null, message);

    public static Refusal Forbidden(string message) => new(OutcomeKind.Forbidden, null, message);
}

/// <summary>Success with nothing to say.</summary>
public readonly record struct Done;
