using System.Globalization;
using System.Text.Json;
using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// Reads requests: the requester's own (anyone else's answers like a missing one, 404), and the privacy officers'
/// console, where a list shows kinds, dates and flags and opening one request reads its details and history — an
/// access to the requester's personal data, so it is audited. A request never verified is not actionable: the console
/// lists it only when asked for unverified ones. A received request past its lifetime reads as expired before the
/// daily job stores it so.
/// </summary>
internal sealed class RequestQueries(
    HelioDbContext db, PersonalDataProtector protector, RequestHistory history, AuditTrail audit, TimeProvider clock, IOptions<PrivacyRequestsOptions> options,
    IEnumerable<IRequestWork> work)
{
    /// <summary>Per list: a guard, not paging; a person's requests are few, and the console's open ones too.</summary>
    public const int ListLimit = 500;

    public async Task<IReadOnlyList<PrivacyRequestDto>> MineAsync(Guid userId, CancellationToken cancellationToken)
    {
        var requests = await db.PrivacyRequests.AsNoTracking().Where(r => r.UserId == userId)
            .OrderByDescending(r => r.ReceivedAt).Take(ListLimit).ToListAsync(cancellationToken);
        var list = new List<PrivacyRequestDto>(requests.Count);
        foreach (var request in requests)
        {
            list.Add(await ToDtoAsync(request, cancellationToken));
        }
        return list;
    }

    public async Task<PrivacyRequestDto?> MineAsync(Guid userId, Guid requestId, CancellationToken cancellationToken) =>
        await FindMineAsync(userId, requestId, cancellationToken) is { } request ? await ToDtoAsync(request, cancellationToken) : null;

    /// <summary>The user's own request, as stored; null for a missing one and for anyone else's alike.</summary>
    internal Task<PrivacyRequest?> FindMineAsync(Guid userId, Guid requestId, CancellationToken cancellationToken) =>
        db.PrivacyRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId && r.UserId == userId, cancellationToken);

    /// <param name="filter">"open" (verified or in progress: the work), "closed", "unverified" or "all".</param>
    public async Task<Outcome<IReadOnlyList<ConsoleRequestDto>>> ConsoleListAsync(string? filter, CancellationToken cancellationToken)
    {
        var all = db.PrivacyRequests.AsNoTracking();
        var query = (filter ?? "open") switch
        {
            "open" => all.Where(r => r.State == RequestState.Verified || r.State == RequestState.InProgress),
            "closed" => all.Where(r => r.State == RequestState.Completed || r.State == RequestState.Refused || r.State == RequestState.Closed),
            "unverified" => all.Where(r => r.State == RequestState.Received || r.State == RequestState.Expired),
            "all" => all,
            _ => null,
        };
        if (query is null)
        {
            return Refusal.Invalid("state", "Must be \"open\", \"closed\", \"unverified\" or \"all\".");
        }
        // The most urgent first; finished ones by the date they were due.
        var requests = await query.OrderBy(r => r.DueAt).ThenBy(r => r.Id).Take(ListLimit).ToListAsync(cancellationToken);
        var requesters = await MaskedEmailsAsync(requests.Select(r => r.UserId), cancellationToken);
        return requests.Select(r => ToConsoleDto(r, requesters)).ToList();
    }

    /// <summary>One request for a privacy officer, with its details decrypted: recorded as <c>privacy.request-viewed</c>.</summary>
    public Task<ConsoleRequestDetailDto?> ConsoleGetAsync(Guid officerId, Guid requestId, CancellationToken cancellationToken) =>
        ConsoleGetAsync(officerId, requestId, audited: true, cancellationToken);

    /// <param name="audited">False only where the details are read but not shown (a page's form post before its step).</param>
    public async Task<ConsoleRequestDetailDto?> ConsoleGetAsync(Guid officerId, Guid requestId, bool audited, CancellationToken cancellationToken)
    {
        var request = await db.PrivacyRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }
        if (audited)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.PrivacyRequestViewed, AuditActor.User(officerId), SubjectUserId: request.UserId,
                Target: request.Id.ToString(), Detail: JsonSerializer.Serialize(new { kind = RequestText.Key(request.Kind) })), cancellationToken);
        }
        var lines = await LinesAsync(request.Id, cancellationToken);
        var people = await MaskedEmailsAsync(lines.Select(l => l.ActorId ?? Guid.Empty).Append(request.UserId), cancellationToken);
        var (answer, historyLines) = await AnswerAsync(request, lines, actor => actor switch
        {
            null => "Helio",
            { } id when id == request.UserId => "the requester",
            { } id => $"a privacy officer, {people.GetValueOrDefault(id, "a former user")}",
        }, cancellationToken);
        var since = clock.GetUtcNow().AddMonths(-12);
        var sameKind = await db.PrivacyRequests.CountAsync(r => r.UserId == request.UserId && r.Kind == request.Kind && r.VerifiedAt > since, cancellationToken);
        return new ConsoleRequestDetailDto(
            ToConsoleDto(request, people), request.Decision, await DetailsAsync(request, cancellationToken), sameKind, request.UserId == officerId, answer, historyLines);
    }

    /// <summary>A request's line in the console, without its details (nothing personal is read, nothing audited).</summary>
    public async Task<ConsoleRequestDto?> ConsoleSummaryAsync(Guid requestId, CancellationToken cancellationToken) =>
        await db.PrivacyRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken) is { } request
            ? ToConsoleDto(request, await MaskedEmailsAsync([request.UserId], cancellationToken))
            : null;

    /// <summary>What the request is now: a received one past its lifetime has expired, whether or not the job has said so.</summary>
    public RequestState StateOf(PrivacyRequest request) =>
        request.State == RequestState.Received && clock.GetUtcNow() >= request.ReceivedAt + options.Value.UnverifiedRequestLifetime
            ? RequestState.Expired
            : request.State;

    private async Task<PrivacyRequestDto> ToDtoAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var state = StateOf(request);
        var (answer, lines) = await AnswerAsync(request, await LinesAsync(request.Id, cancellationToken), actor => actor switch
        {
            null => "Helio",
            { } id when id == request.UserId => "you",
            _ => "a privacy officer",
        }, cancellationToken);
        var codeLive = state == RequestState.Received && request.CodeHash is not null && request.CodeExpiresAt > now;
        RequestWorkDto? done = null;
        foreach (var part in work)
        {
            done ??= await part.ReadAsync(request, cancellationToken);
        }
        return new PrivacyRequestDto(
            request.Id, request.Kind, state, request.ReceivedAt, request.VerifiedAt, DueDates.DateOf(request.DueAt), DueDates.DaysLeft(request.DueAt, now),
            request.ExtendedMonths, codeLive ? request.CodeExpiresAt : null, codeLive ? VerificationCodes.MaxAttempts - request.CodeAttempts : 0,
            request.Decision, await DetailsAsync(request, cancellationToken), answer,
            done?.DownloadUrl, request.ClosedAt, lines, done?.Progress);
    }

    private ConsoleRequestDto ToConsoleDto(PrivacyRequest request, IReadOnlyDictionary<Guid, string> requesters)
    {
        var state = StateOf(request);
        return new ConsoleRequestDto(
            request.Id, request.Kind, state, requesters.GetValueOrDefault(request.UserId, "a former user"), request.ReceivedAt, request.VerifiedAt,
            DueDates.DateOf(request.DueAt), DueDates.DaysLeft(request.DueAt, clock.GetUtcNow()), request.ExtendedMonths, request.PossiblyExcessive,
            request.FeeRecordedAt is not null, state is RequestState.Verified or RequestState.InProgress);
    }

    private Task<List<PrivacyRequestEvent>> LinesAsync(Guid requestId, CancellationToken cancellationToken) =>
        db.PrivacyRequestEvents.AsNoTracking().Where(e => e.RequestId == requestId).OrderBy(e => e.At).ThenBy(e => e.Kind).ToListAsync(cancellationToken);

    /// <summary>The answer so far, read from the history, which is its only record; and the history for people.</summary>
    private async Task<(RequestAnswerDto, IReadOnlyList<HistoryLineDto>)> AnswerAsync(
        PrivacyRequest request, IReadOnlyList<PrivacyRequestEvent> events, Func<Guid?, string> who, CancellationToken cancellationToken)
    {
        string? outcome = null;
        RefusalDto? refusal = null;
        FeeDto? fee = null;
        var extensions = new List<ExtensionDto>();
        var repairs = new List<RepairDto>();
        var lines = new List<HistoryLineDto>(events.Count);
        foreach (var line in events)
        {
            var note = await ReadNoteAsync(request.UserId, line, cancellationToken);
            var facts = line.Data is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(line.Data);
            lines.Add(new HistoryLineDto(line.At, line.Kind, who(line.ActorId), note?.Text, facts));
            var text = note?.Text ?? "";
            switch (line.Kind)
            {
                case RequestEventKind.Completed:
                    outcome = text;
                    break;
                case RequestEventKind.Refused:
                    refusal = new RefusalDto(text, note?.ComplaintRoute ?? "");
                    break;
                case RequestEventKind.FeeRecorded when facts is not null:
                    fee = new FeeDto(decimal.Parse(facts["amount"], CultureInfo.InvariantCulture), facts["currency"], text);
                    break;
                case RequestEventKind.Extended when facts is not null:
                    extensions.Add(new ExtensionDto(int.Parse(facts["months"], CultureInfo.InvariantCulture), text, line.At));
                    break;
                case RequestEventKind.Repaired when facts is not null:
                    repairs.Add(new RepairDto(facts["serial"], DateTimeOffset.Parse(facts["from"], CultureInfo.InvariantCulture),
                        DateTimeOffset.Parse(facts["to"], CultureInfo.InvariantCulture), long.Parse(facts["deleted"], CultureInfo.InvariantCulture), text, line.At));
                    break;
            }
        }
        return (new RequestAnswerDto(outcome, refusal, fee, extensions, repairs), lines);
    }

    /// <summary>Null once the requester's key is shredded (an erased account): the record stays, its words are gone.</summary>
    private async Task<EventNote?> ReadNoteAsync(Guid requesterId, PrivacyRequestEvent line, CancellationToken cancellationToken)
    {
        try
        {
            return await history.ReadNoteAsync(requesterId, line, cancellationToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private async Task<RequestDetails> DetailsAsync(PrivacyRequest request, CancellationToken cancellationToken) =>
        await Invitations.TryDecryptAsync(protector, request.UserId, SubmitRequest.DetailsField, request.DetailsCipher, cancellationToken) is { } json
            ? RequestDetails.FromJson(json)
            : new RequestDetails();

    private async Task<Dictionary<Guid, string>> MaskedEmailsAsync(IEnumerable<Guid> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        var masked = new Dictionary<Guid, string>();
        foreach (var user in await db.Users.Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.EmailCipher }).ToListAsync(cancellationToken))
        {
            if (await Invitations.TryDecryptAsync(protector, user.Id, UserStore.EmailField, user.EmailCipher, cancellationToken) is { } email)
            {
                masked[user.Id] = Masking.Email(email);
            }
        }
        return masked;
    }
}
