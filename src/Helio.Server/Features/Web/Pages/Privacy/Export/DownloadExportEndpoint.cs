using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Export;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Web.Pages.Privacy.Export;

/// <summary>
/// POST /account/requests/{id}/download: the request page's download form (<see cref="ExportPanel"/>), the same use
/// case as the API's (<see cref="DownloadExport"/>). A form post, so it carries an antiforgery token; a refusal goes
/// back to the page with a word for what was wrong in the query (never the password, never free text).
/// </summary>
internal static class DownloadExportEndpoint
{
    public static string PathOf(Guid requestId) => $"/account/requests/{requestId}/download";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/account/requests/{requestId:guid}/download", async (Guid requestId, [FromForm] string? password, [FromForm] string? code,
                HttpContext context, DownloadExport handler, CancellationToken ct) =>
            {
                if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                {
                    return Results.BadRequest();
                }
                var outcome = await handler.HandleAsync(context.User.UserId(), requestId, new DownloadExportBody(password, code), ct);
                if (outcome.IsSuccess || outcome.Kind == OutcomeKind.NotFound)
                {
                    return ExportModule.ToResult(outcome);
                }
                // A word the page turns into its own sentence: no text from the query is ever shown as such.
                var why = outcome.Kind == OutcomeKind.Invalid ? outcome.Errors!.ContainsKey("code") ? "code" : "password"
                    : ReferenceEquals(outcome.Message, DownloadExport.Expired.Message) ? "expired" : "not-ready";
                return Results.Redirect($"/account/requests/{requestId}?download={why}#export-progress");
            })
            .RequireAuthorization(AccountsModule.WebPolicy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
}
