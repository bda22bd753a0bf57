using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// The notifications API. Every id is looked up among the caller's own (or visible plants) first, so someone else's
/// webhook, delivery or plant gets the same 404 as a missing one, whatever the body says.
/// </summary>
internal static class NotificationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/notification-settings", async (ClaimsPrincipal user, ManageNotificationSettings handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.GetAsync(user.UserId(), ct)));
        api.MapPut("/notification-settings", async ([FromBody] NotificationSettingsRequest request, ClaimsPrincipal user, ManageNotificationSettings handler, CancellationToken ct) =>
            (await handler.UpdateAsync(user.UserId(), request, ct)).ToResult(TypedResults.Ok));

        api.MapGet("/plants/{plantId:guid}/notification-settings", async (Guid plantId, ClaimsPrincipal user, ManagePlantNotificationSettings handler, CancellationToken ct) =>
            (await handler.GetAsync(user.UserId(), plantId, ct)).ToResult(TypedResults.Ok));
        api.MapPut("/plants/{plantId:guid}/notification-settings", async (Guid plantId, [FromBody] PlantNotificationSettingsRequest request, ClaimsPrincipal user, ManagePlantNotificationSettings handler, CancellationToken ct) =>
            (await handler.SetAsync(user.UserId(), plantId, request, ct)).ToResult(TypedResults.Ok));
        api.MapDelete("/plants/{plantId:guid}/notification-settings", async (Guid plantId, ClaimsPrincipal user, ManagePlantNotificationSettings handler, CancellationToken ct) =>
            (await handler.RemoveAsync(user.UserId(), plantId, ct)).ToResult(_ => TypedResults.NoContent()));

        api.MapGet("/webhooks", async (ClaimsPrincipal user, ManageWebhooks handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.ListAsync(user.UserId(), ct)));
        api.MapPost("/webhooks", async ([FromBody] WebhookRequest request, ClaimsPrincipal user, ManageWebhooks handler, CancellationToken ct) =>
            (await handler.CreateAsync(user.UserId(), request, ct)).ToResult(w => TypedResults.Created($"/api/v1/webhooks/{w.Webhook.Id}", w)));
        api.MapGet("/webhooks/{webhookId:guid}", async (Guid webhookId, ClaimsPrincipal user, ManageWebhooks handler, CancellationToken ct) =>
            (await handler.GetAsync(user.UserId(), webhookId, ct)).ToResult(TypedResults.Ok));
        api.MapPut("/webhooks/{webhookId:guid}", async (Guid webhookId, [FromBody] WebhookRequest request, ClaimsPrincipal user, ManageWebhooks handler, CancellationToken ct) =>
            (await handler.UpdateAsync(user.UserId(), webhookId, request, ct)).ToResult(TypedResults.Ok));
        api.MapDelete("/webhooks/{webhookId:guid}", async (Guid webhookId, ClaimsPrincipal user, ManageWebhooks handler, CancellationToken ct) =>
            (await handler.DeleteAsync(user.UserId(), webhookId, ct)).ToResult(_ => TypedResults.NoContent()));
        api.MapPost("/webhooks/{webhookId:guid}/rotate-secret", async (Guid webhookId, ClaimsPrincipal user, ManageWebhooks handler, CancellationToken ct) =>
            (await handler.RotateSecretAsync(user.UserId(), webhookId, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/webhooks/{webhookId:guid}/test", async (Guid webhookId, ClaimsPrincipal user, QueueTestDelivery handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), webhookId, ct)).ToResult(d => TypedResults.Accepted($"/api/v1/webhooks/{webhookId}/deliveries", d)));
        api.MapGet("/webhooks/{webhookId:guid}/deliveries", async (Guid webhookId, string? state, int? limit, ClaimsPrincipal user, ListDeliveries handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), webhookId, state, limit, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/deliveries/{deliveryId:guid}/replay", async (Guid deliveryId, ClaimsPrincipal user, ReplayDelivery handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), deliveryId, ct)).ToResult(TypedResults.Ok));

        api.MapGet("/push/vapid-public-key", (VapidKeys keys) => TypedResults.Ok(new VapidPublicKeyDto(keys.PublicKey)));
        api.MapPost("/push/subscriptions", async ([FromBody] PushSubscriptionRequest request, ClaimsPrincipal user, ManagePushSubscriptions handler, CancellationToken ct) =>
            (await handler.SubscribeAsync(user.UserId(), request, ct)).ToResult(TypedResults.Ok));
        api.MapDelete("/push/subscriptions", async ([FromBody] PushUnsubscribeRequest request, ClaimsPrincipal user, ManagePushSubscriptions handler, CancellationToken ct) =>
            (await handler.UnsubscribeAsync(user.UserId(), request, ct)).ToResult(_ => TypedResults.NoContent()));
    }
}

/// <summary>
/// The browser's side of push subscriptions for the settings page (push.js): the same use case as the API, but
/// authenticated by the session cookie, so each request must carry the page's antiforgery token (in the
/// RequestVerificationToken header) or any site could subscribe a browser of its choosing to a user's alarms.
/// </summary>
internal static class PushWebEndpoints
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapPost("/subscriptions", async (HttpContext context, [FromBody] PushSubscriptionRequest request, ManagePushSubscriptions handler, CancellationToken ct) =>
                !AntiforgeryValid(context) ? Results.BadRequest() : (await handler.SubscribeAsync(context.User.UserId(), request, ct)).ToResult(TypedResults.Ok))
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
        web.MapDelete("/subscriptions", async (HttpContext context, [FromBody] PushUnsubscribeRequest request, ManagePushSubscriptions handler, CancellationToken ct) =>
                !AntiforgeryValid(context) ? Results.BadRequest() : (await handler.UnsubscribeAsync(context.User.UserId(), request, ct)).ToResult(_ => TypedResults.NoContent()))
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
    }

    // UseAntiforgery checks the token for endpoints with this metadata, but only endpoints that bind form fields act on
    // the result by themselves; these bind JSON, so they look for themselves (as the sign-out endpoint does).
    private static bool AntiforgeryValid(HttpContext context) =>
        context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: true };
}
