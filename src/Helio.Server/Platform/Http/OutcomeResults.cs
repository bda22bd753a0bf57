using Microsoft.AspNetCore.Http.HttpResults;

namespace Helio.Server.Platform.Http;

/// <summary>Maps an <see cref="Outcome{T}"/> to RFC 9457 problem details; the success mapping is the endpoint's.</summary>
public static class OutcomeResults
{
    public static IResult ToResult<T>(this Outcome<T> outcome, Func<T, IResult> onSuccess) => outcome.Kind switch
    {
        OutcomeKind.Ok => onSuccess(outcome.Value!),
        _ => outcome.ToProblem(),
    };

    public static IResult ToProblem<T>(this Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.Invalid => TypedResults.ValidationProblem(outcome.Errors!),
        OutcomeKind.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found."),
        OutcomeKind.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict.", detail: outcome.Message),
        OutcomeKind.Unauthorized => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.", detail: outcome.Message),
        OutcomeKind.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: outcome.Message),
        _ => throw new InvalidOperationException("A successful outcome is not a problem."),
    };
}
