using Helio.Server.Features.Accounts;
using Helio.Server.Features.ApiAccounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>Marks an endpoint or page a user may reach before accepting a material policy change (the acceptance
/// itself, reading the policy, signing out, their consents). Add it to a route with
/// <see cref="PolicyGateExtensions.AllowBeforePolicyAcceptance{TBuilder}"/>, or to a page as an attribute.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowBeforePolicyAcceptanceAttribute : Attribute;

public static class PolicyGateExtensions
{
    public static TBuilder AllowBeforePolicyAcceptance<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowBeforePolicyAcceptanceAttribute());
}

/// <summary>
/// After a material change takes effect, a person who has not accepted it does nothing else (ADR 0022): their web
/// pages redirect to the acceptance page, their API calls answer 403 with a problem that says what to accept and
/// where. Only endpoints that need a signed-in user are held; anonymous ones (the policy pages, static assets, sign-in)
/// never are, and API accounts are not people. For pages that go through, the standing is left in the request's items
/// for the layout's banner of a minor change.
/// </summary>
internal sealed class PolicyGate(RequestDelegate next)
{
    public const string ProblemType = "urn:helio:problem:policy-acceptance-required";
    public const string ProblemCode = "policy-acceptance-required";
    public const string AcceptRoute = "/api/v1/me/policy/accept";
    public const string AcceptPage = "/privacy/accept";

    public async Task InvokeAsync(HttpContext context, PolicyStandings standings)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null
            || context.User.Identity?.IsAuthenticated != true
            || context.User.IsApiAccount()
            || endpoint.Metadata.GetMetadata<IAuthorizeData>() is null
            || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
            || endpoint.Metadata.GetMetadata<AllowBeforePolicyAcceptanceAttribute>() is not null)
        {
            await next(context);
            return;
        }
        var standing = await standings.ForAsync(context.User.UserId(), context.RequestAborted);
        if (!standing.MustAccept)
        {
            context.Items[typeof(PolicyStanding)] = standing;
            await next(context);
            return;
        }
        if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
        {
            var here = context.Request.Path + context.Request.QueryString;
            context.Response.Redirect($"{AcceptPage}?returnUrl={Uri.EscapeDataString(here)}");
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            type: ProblemType,
            title: "The privacy policy must be accepted first.",
            detail: $"Version {standing.Current!.Version} of the privacy policy changed it materially. Read it at /privacy, then accept it with POST {AcceptRoute} {{\"version\":\"{standing.Current.Version}\"}}.",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = ProblemCode,
                ["version"] = standing.Current.Version,
                ["policy"] = "/privacy",
                ["accept"] = AcceptRoute,
            }).ExecuteAsync(context);
    }
}
