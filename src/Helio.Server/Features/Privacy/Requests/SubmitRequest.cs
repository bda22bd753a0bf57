using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// A signed-in user makes a data-subject request. The identity check has two halves (the policy's "re-authentication
/// plus a one-time code to the confirmed e-mail"): the password, checked here through <see cref="CheckCredentials"/>
/// (so it counts towards lockout and a locked account gets the same answer), then the code mailed to the account's
/// confirmed address, which <see cref="VerifyRequest"/> takes. Until then the request is received and nobody acts on it.
/// Every field is checked before the password, so a malformed request never costs the user a lockout try.
/// </summary>
internal sealed class SubmitRequest(
    HelioDbContext db, CheckCredentials credentials, RequestIntake intake, RequestHistory history, RequestMails mails,
    AutomatedDecisions decisions, RequestQueries queries, TimeProvider clock)
{
    public const string DetailsField = "privacy_requests.details";
    public const string PasswordRequired = "Required: your password confirms that the request is yours.";

    /// <summary>A wrong password, and any password while the account is locked: the same answer.</summary>
    public static Refusal WrongPassword { get; } = Refusal.Invalid("password", "The password is not correct.");
    public const int MaxShortText = 200, MaxText = 2000, MaxUrl = 2000, MaxSerial = 32;
    /// <summary>The longest stretch of readings one correction may name: a month.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>What this route takes; complaints come through <see cref="SubmitComplaint"/>, without a code.</summary>
    public static readonly IReadOnlyDictionary<string, RequestKind> Kinds = new Dictionary<string, RequestKind>(StringComparer.Ordinal)
    {
        ["export"] = RequestKind.Export,
        ["transfer"] = RequestKind.Transfer,
        ["correction"] = RequestKind.Correction,
        ["deletion"] = RequestKind.Deletion,
        ["cancellation"] = RequestKind.Cancellation,
        ["review"] = RequestKind.Review,
    };

    public async Task<Outcome<PrivacyRequestDto>> HandleAsync(Guid userId, SubmitRequestBody body, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (body.Kind is null || !Kinds.TryGetValue(body.Kind, out var kind))
        {
            validation.Add("kind", $"Must be one of {string.Join(", ", Kinds.Keys.Select(k => $"\"{k}\""))}.");
            kind = default;
        }
        if (string.IsNullOrEmpty(body.Password))
        {
            validation.Add("password", PasswordRequired);
        }
        var details = validation.IsValid ? await DetailsAsync(userId, kind, body, validation, cancellationToken) : null;
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (!await credentials.PasswordAsync(user, body.Password, cancellationToken))
        {
            return WrongPassword;
        }
        if (!user!.EmailConfirmed)
        {
            return Refusal.Forbidden("Confirm your e-mail address first: the verification code goes there.");
        }
        if (await intake.RefuseIfTooManyAsync(userId, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        var now = clock.GetUtcNow();
        var request = await intake.NewAsync(userId, kind, details!, kind == RequestKind.Review ? body.Decision!.Trim() : null, now, cancellationToken);
        var code = VerificationCodes.New();
        request.CodeHash = VerificationCodes.Hash(request.Id, code);
        request.CodeExpiresAt = now + VerificationCodes.Lifetime;
        request.CodesSent = 1;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PrivacyRequests.Add(request);
        await mails.CodeAsync(request, code, cancellationToken);
        await history.AppendAsync(request, RequestEventKind.Received, userId, now, AuditActions.PrivacyRequestReceived, cancellationToken: cancellationToken);
        await history.AppendAsync(request, RequestEventKind.CodeSent, null, now, null, cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await queries.MineAsync(userId, request.Id, cancellationToken))!;
    }

    /// <summary>The plants a correction may name: the user's own (for the page's form).</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> OwnPlantsAsync(Guid userId, CancellationToken cancellationToken) =>
        (await db.Plants.Where(p => p.OwnerId == userId).OrderBy(p => p.Name).ThenBy(p => p.Id).Take(RequestQueries.ListLimit)
            .Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken)).Select(p => (p.Id, p.Name)).ToList();

    /// <summary>The kind's own fields, checked; null (with the errors added) when something is wrong.</summary>
    private async Task<RequestDetails?> DetailsAsync(Guid userId, RequestKind kind, SubmitRequestBody body, Validation validation, CancellationToken cancellationToken)
    {
        var text = body.Text?.Trim();
        validation.Optional("text", text, MaxText);
        switch (kind)
        {
            case RequestKind.Correction:
                return await CorrectionAsync(userId, body, validation, cancellationToken);
            case RequestKind.Deletion:
                if (body.Ground is null || !DeletionGrounds.All.ContainsKey(body.Ground))
                {
                    validation.Add("ground", $"Must be one of {string.Join(", ", DeletionGrounds.All.Keys.Select(k => $"\"{k}\""))}.");
                }
                return new RequestDetails(Ground: body.Ground, Text: NullIfEmpty(text));
            case RequestKind.Review:
                validation.Require("reason", body.Reason, MaxText);
                if (string.IsNullOrWhiteSpace(body.Decision))
                {
                    validation.Add("decision", "Required: the id of one of your automated decisions (GET /api/v1/me/decisions).");
                }
                else if (body.Decision.Length > 80 || !await decisions.ExistsAsync(userId, body.Decision.Trim(), cancellationToken))
                {
                    validation.Add("decision", "None of your automated decisions has this id.");
                }
                return new RequestDetails(Reason: body.Reason?.Trim());
            case RequestKind.Transfer:
                validation.Require("targetUrl", body.TargetUrl, MaxUrl);
                if (!string.IsNullOrWhiteSpace(body.TargetUrl)
                    && (!Uri.TryCreate(body.TargetUrl.Trim(), UriKind.Absolute, out var target) || target.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(target.UserInfo)))
                {
                    validation.Add("targetUrl", "Must be an https:// address without a user name or password.");
                }
                // Where the recipient is decides whether the copy may go (TransferPolicy); only the requester knows it.
                var region = body.TargetRegion?.Trim().ToUpperInvariant();
                if (!Lifecycle.DataRegions.IsRegionCode(region))
                {
                    validation.Add("targetRegion", "Required: the data region the recipient is in, as a code (e.g. EU, GB, US, CN).");
                }
                return new RequestDetails(TargetUrl: body.TargetUrl?.Trim(), Text: NullIfEmpty(text), TargetRegion: region,
                    TransferConsent: body.TransferConsent == true ? true : null);
            default:
                return new RequestDetails(Text: NullIfEmpty(text));
        }
    }

    /// <summary>Which data, what is wrong, and optionally where: a plant of the user's own, one of its devices, a range.</summary>
    private async Task<RequestDetails> CorrectionAsync(Guid userId, SubmitRequestBody body, Validation validation, CancellationToken cancellationToken)
    {
        validation.Require("data", body.Data, MaxShortText);
        validation.Require("problem", body.Problem, MaxText);
        var serial = body.DeviceSerial?.Trim();
        if (body.PlantId is { } plantId && !await db.Plants.AnyAsync(p => p.Id == plantId && p.OwnerId == userId, cancellationToken))
        {
            validation.Add("plantId", "None of your plants has this id.");
        }
        if (!string.IsNullOrEmpty(serial))
        {
            if (body.PlantId is null)
            {
                validation.Add("plantId", "Required with a device: the plant it belongs to.");
            }
            else if (serial.Length > MaxSerial || !await db.Devices.AnyAsync(d => d.SerialNumber == serial && d.PlantId == body.PlantId, cancellationToken))
            {
                validation.Add("deviceSerial", "This plant has no device with this serial number.");
            }
        }
        if (body.From.HasValue != body.To.HasValue)
        {
            validation.Add(body.From.HasValue ? "to" : "from", "A range needs both from and to.");
        }
        else if (body.From is { } from && body.To is { } to && (to <= from || to - from > MaxRange))
        {
            validation.Add("to", $"Must be after from, and at most {MaxRange.TotalDays} days after it.");
        }
        return new RequestDetails(Data: body.Data?.Trim(), Problem: body.Problem?.Trim(), PlantId: body.PlantId, DeviceSerial: NullIfEmpty(serial),
            From: body.From, To: body.To, Text: NullIfEmpty(body.Text?.Trim()));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
