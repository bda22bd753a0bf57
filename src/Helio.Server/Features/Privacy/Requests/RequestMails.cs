using System.Globalization;
using System.Text;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The mails of a request, queued in the caller's unit of work (sent if and only if the change commits), always to the
/// account's confirmed address. The requester hears of every step that changes their answer: the code, the
/// acknowledgement with the due date, an extension and its reason, a fee, a refusal with the complaint route, the
/// outcome. Privacy officers hear of a new actionable request and, before it is due, of its date. Requests are named by
/// kind and id only: no one's data goes to an officer's mailbox.
/// </summary>
internal sealed class RequestMails(
    HelioDbContext db, MailOutbox outbox, PersonalDataProtector protector, IHttpContextAccessor http, IServiceProvider services,
    IOptions<HelioOptions> helio, IConfiguration configuration)
{
    public Task CodeAsync(PrivacyRequest request, string code, CancellationToken cancellationToken) =>
        ToRequesterAsync(request, "privacy-code", "Your Helio verification code", $"""
            Your verification code for your {RequestText.Kind(request.Kind)} (request {request.Id}) is:

                {code}

            It works once, for {VerificationCodes.Lifetime.TotalMinutes:0} minutes, and dies after {VerificationCodes.MaxAttempts} wrong tries.
            Nobody from Helio will ever ask you for it. If you did not make this request, change your password.
            """, cancellationToken);

    public Task VerifiedAsync(PrivacyRequest request, CancellationToken cancellationToken) =>
        ToRequesterAsync(request, "privacy-received", $"We received your {RequestText.Kind(request.Kind)}", $"""
            Your {RequestText.Kind(request.Kind)} (request {request.Id}) is verified and with our privacy officer.
            We will answer by {Date(request.DueAt)} at the latest.

            Follow it here: {Base}/account/requests/{request.Id}
            """, cancellationToken);

    public Task ExtendedAsync(PrivacyRequest request, int months, string reason, CancellationToken cancellationToken) =>
        ToRequesterAsync(request, "privacy-extended", $"We need more time for your {RequestText.Kind(request.Kind)}", $"""
            We have extended the time to answer your {RequestText.Kind(request.Kind)} (request {request.Id}) by {Months(months)}.
            The new date is {Date(request.DueAt)}. Why:

            {reason}

            {Base}/account/requests/{request.Id}
            """, cancellationToken);

    public Task FeeAsync(PrivacyRequest request, decimal amount, string currency, string reason, CancellationToken cancellationToken) =>
        ToRequesterAsync(request, "privacy-fee", $"A fee for your {RequestText.Kind(request.Kind)}", $"""
            We will charge a fee of {Money(amount, currency)} for your {RequestText.Kind(request.Kind)} (request {request.Id}). Why:

            {reason}

            {Base}/account/requests/{request.Id}
            """, cancellationToken);

    public Task RefusedAsync(PrivacyRequest request, string reason, string complaintRoute, CancellationToken cancellationToken) =>
        ToRequesterAsync(request, "privacy-refused", $"Your {RequestText.Kind(request.Kind)} was refused", $"""
            We refused your {RequestText.Kind(request.Kind)} (request {request.Id}). Why:

            {reason}

            {complaintRoute}

            {Base}/account/requests/{request.Id}
            """, cancellationToken);

    public Task CompletedAsync(PrivacyRequest request, string outcome, CancellationToken cancellationToken) =>
        ToRequesterAsync(request, "privacy-completed", $"Your {RequestText.Kind(request.Kind)} is answered", $"""
            We have answered your {RequestText.Kind(request.Kind)} (request {request.Id}):

            {outcome}

            {Base}/account/requests/{request.Id}
            """, cancellationToken);

    public async Task NewToOfficersAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        var text = $"""
            A {RequestText.Kind(request.Kind)} (request {request.Id}) is verified and waits for you{(request.PossiblyExcessive ? "; it is flagged as possibly excessive" : "")}.
            It is due on {Date(request.DueAt)}.

            {Base}/privacy/requests/{request.Id}
            """;
        foreach (var officer in await OfficersAsync(request.UserId, cancellationToken))
        {
            await ToUserAsync(officer, "privacy-new-request", $"New privacy request: {RequestText.Kind(request.Kind)}", text, cancellationToken);
        }
    }

    /// <summary>One mail per officer listing every request reminded of in this run, but their own (not theirs to handle).</summary>
    public async Task ReminderAsync(IReadOnlyList<PrivacyRequest> requests, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var officer in await OfficersAsync(null, cancellationToken))
        {
            var theirs = requests.Where(r => r.UserId != officer).OrderBy(r => r.DueAt).ToList();
            if (theirs.Count == 0)
            {
                continue;
            }
            var lines = new StringBuilder();
            foreach (var request in theirs)
            {
                var left = DueDates.DaysLeft(request.DueAt, now);
                lines.Append(CultureInfo.InvariantCulture, $"- {RequestText.Kind(request.Kind)}, due {Date(request.DueAt)} ({RequestText.DaysLeft(left)}): {Base}/privacy/requests/{request.Id}\n");
            }
            await ToUserAsync(officer, "privacy-reminder", $"{theirs.Count} privacy request{(theirs.Count == 1 ? "" : "s")} due soon", $"""
                These privacy requests are due soon. An answer after its date breaks GDPR Art. 12(3); an extension must be told within a month of receipt.

                {lines}
                """, cancellationToken);
        }
    }

    internal static string Date(DateTimeOffset dueAt) => DueDates.DateOf(dueAt).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    internal static string Money(decimal amount, string currency) => amount.ToString("0.00", CultureInfo.InvariantCulture) + " " + currency;

    internal static string Months(int months) => months == 1 ? "1 month" : $"{months} months";

    private Task<List<Guid>> OfficersAsync(Guid? except, CancellationToken cancellationToken) =>
        db.UserRoles.Where(r => r.Role == Roles.PrivacyOfficer && r.UserId != except).Select(r => r.UserId).Distinct().ToListAsync(cancellationToken);

    private Task ToRequesterAsync(PrivacyRequest request, string template, string subject, string text, CancellationToken cancellationToken) =>
        ToUserAsync(request.UserId, template, subject, text, cancellationToken);

    /// <summary>To the user's confirmed address, if they have one (also the deletion's notices to recipients).</summary>
    internal async Task ToUserAsync(Guid userId, string template, string subject, string text, CancellationToken cancellationToken)
    {
        var account = await db.Users.Where(u => u.Id == userId && u.EmailConfirmed).Select(u => new { u.EmailCipher }).SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return; // erased, or never confirmed: there is no address to answer at
        }
        var to = await protector.DecryptAsync(userId, UserStore.EmailField, account.EmailCipher, cancellationToken);
        await outbox.QueueAsync(userId, to, template, "[Helio] " + subject, text, cancellationToken);
    }

    /// <summary>The request's own address in a request; the configured one (or the first listening URL) in the daily job.</summary>
    internal string Base => http.HttpContext is not null
        ? services.GetRequiredService<AccountLinks>().Base
        : (helio.Value.PublicBaseUrl is { Length: > 0 } configured ? configured
            : configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "http://localhost:5080").TrimEnd('/');
}
