using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Consent;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Announcements;

/// <summary>Product news by e-mail, sent by admins to the people who consented to marketing (ADR 0022).</summary>
public static class AnnouncementsModule
{
    public static WebApplicationBuilder AddAnnouncements(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SendAnnouncement>();
        builder.Services.Configure<MailingAudienceOptions>(o => o.Audiences[SendAnnouncement.Audience] = db => ConsentQueries.Given(db, ConsentPurposes.Marketing));
        return builder;
    }

    public static IEndpointRouteBuilder MapAnnouncements(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin/announcements").WithTags("Admin").RequireAuthorization(AccountsModule.AdminPolicy);
        admin.MapGet("/", async (SendAnnouncement handler, CancellationToken ct) => TypedResults.Ok(await handler.ListAsync(ct)))
            .WithSummary("Announcements").WithDescription("The latest 100, with how many mails each has queued so far.");
        admin.MapPost("/", async ([FromBody] AnnouncementRequest request, ClaimsPrincipal user, SendAnnouncement handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(a => TypedResults.Created((string?)null, a)))
            .WithSummary("Send an announcement").WithDescription("Mailed in batches to users whose latest marketing consent is given, checked again for each batch.");
        return app;
    }
}
