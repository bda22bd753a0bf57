using System.Globalization;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Access;

/// <summary>
/// The mails about access requests, queued in the caller's unit of work (sent if and only if the change commits).
/// Text only; they name the requester masked, as the deciders' page does, and a plant by name only to those who may
/// see it (a support engineer whose request was denied or revoked gets the plant's id, which they asked with).
/// </summary>
internal sealed class AccessMails(HelioDbContext db, MailOutbox outbox, PersonalDataProtector protector, AccountLinks links)
{
    public async Task RequestedAsync(AccessRequest request, string plantName, string maskedRequester, string? organisation, IEnumerable<Guid> deciders, CancellationToken cancellationToken)
    {
        var who = organisation is null ? "a Helio support engineer" : $"an after-sales engineer of {organisation}";
        var text = $"""
            {maskedRequester} ({who}) asks for {ScopeText(request.Scope)} access to the plant "{plantName}" for {Hours(request.Hours)}.

            Nobody gets access without a yes. Read the reason, then approve or deny the request:
            {links.Base}/access-requests#request-{request.Id}

            An approved grant starts when it is approved, ends by itself after {Hours(request.Hours)}, and can be revoked there at any time.
            """;
        foreach (var userId in deciders)
        {
            await SendAsync(userId, "access-requested", $"Access request for the plant {plantName}", text, cancellationToken);
        }
    }

    public Task ApprovedAsync(AccessRequest request, string plantName, CancellationToken cancellationToken) =>
        SendAsync(request.RequesterId, "access-approved", "Your access request was approved", $"""
            Your request for {ScopeText(request.Scope)} access to the plant "{plantName}" was approved.
            The grant lasts until {Utc(request.EndsAt!.Value)} and may be revoked earlier.

            {links.Base}/plants/{request.PlantId}
            """, cancellationToken);

    public Task DeniedAsync(AccessRequest request, CancellationToken cancellationToken) =>
        SendAsync(request.RequesterId, "access-denied", "Your access request was denied", $"""
            Your request for {ScopeText(request.Scope)} access to the plant {request.PlantId} was denied.

            {links.Base}/access-requests
            """, cancellationToken);

    public Task RevokedAsync(AccessRequest request, CancellationToken cancellationToken) =>
        SendAsync(request.RequesterId, "access-revoked", "Your access to a plant was revoked", $"""
            Your {ScopeText(request.Scope)} access to the plant {request.PlantId} was revoked and has ended.

            {links.Base}/access-requests
            """, cancellationToken);

    internal static string ScopeText(AccessScope scope) => scope == AccessScope.Operate ? "view and operate" : "view";

    internal static string Hours(int hours) => hours == 1 ? "1 hour" : $"{hours.ToString(CultureInfo.InvariantCulture)} hours";

    internal static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private async Task SendAsync(Guid userId, string template, string subject, string text, CancellationToken cancellationToken)
    {
        var cipher = await db.Users.Where(u => u.Id == userId).Select(u => u.EmailCipher).SingleOrDefaultAsync(cancellationToken);
        if (cipher is null)
        {
            return;
        }
        var to = await protector.DecryptAsync(userId, UserStore.EmailField, cipher, cancellationToken);
        await outbox.QueueAsync(userId, to, template, "[Helio] " + subject, text, cancellationToken);
    }
}
