using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Announcements;

public sealed record AnnouncementRequest(string? Subject, string? Text);

public sealed record AnnouncementDto(Guid Id, string Subject, DateTimeOffset CreatedAt, int Queued, DateTimeOffset? CompletedAt);

/// <summary>
/// An admin sends product news by e-mail: marketing, so it goes only to people whose latest "marketing" consent is
/// given, and that is asked again for every batch (ADR 0022) — someone who withdraws while it is under way gets no mail
/// from the batches after. Every mail says how to stop them.
/// </summary>
internal sealed class SendAnnouncement(HelioDbContext db, Mailings mailings, AccountLinks links, AuditTrail audit)
{
    public const string Template = "announcement";
    public const string Audience = "marketing";
    public const int MaxTextLength = 10_000;
    public const int MaxListed = 100;

    public async Task<Outcome<AnnouncementDto>> HandleAsync(Guid adminId, AnnouncementRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Require("subject", request.Subject, MailingConfiguration.MaxSubjectLength)
            .Require("text", request.Text, MaxTextLength);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var mailing = mailings.Queue(Template, Audience, request.Subject!.Trim(),
            request.Text!.Trim() + $"\n\n—\nYou get Helio's news because you said yes to it. To stop them, switch off \"News by e-mail\" on {links.Base}/account/privacy.",
            adminId);
        await audit.RecordAsync(new AuditRecord(AuditActions.AnnouncementSent, AuditActor.User(adminId), Target: mailing.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { audience = Audience })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AnnouncementDto(mailing.Id, mailing.Subject, mailing.CreatedAt, mailing.Queued, mailing.CompletedAt);
    }

    public async Task<IReadOnlyList<AnnouncementDto>> ListAsync(CancellationToken cancellationToken) =>
        await db.Mailings.AsNoTracking().Where(m => m.Template == Template).OrderByDescending(m => m.CreatedAt).Take(MaxListed)
            .Select(m => new AnnouncementDto(m.Id, m.Subject, m.CreatedAt, m.Queued, m.CompletedAt)).ToListAsync(cancellationToken);
}
