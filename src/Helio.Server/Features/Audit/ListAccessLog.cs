using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Organisations;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Audit;

/// <summary>Who did it, as the owner reads it: a kind (person, api-account, system, anonymous, former-user) and a
/// description that never holds more than a masked e-mail address.</summary>
public sealed record AccessLogActor(string Kind, string Description);

public sealed record AccessLogLine(long Seq, DateTimeOffset At, string Action, string What, AccessLogActor Who, Guid? PlantId, string? PlantName);

public sealed record AccessLogPage(IReadOnlyList<AccessLogLine> Items, string? Next);

/// <summary>
/// "Who accessed my data": the trail's entries about the caller (their pseudonym is the subject) done by anyone else,
/// newest first, keyset-paged by Seq on the (SubjectId, Seq) index. A person is described by their platform role or
/// organisation and their masked e-mail address, never more; an API account by its name; someone erased since is
/// "a former user", as their pseudonym no longer leads anywhere.
/// </summary>
internal sealed class ListAccessLog(HelioDbContext db, PersonalDataProtector protector)
{
    public async Task<Outcome<AccessLogPage>> HandleAsync(Guid userId, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var paging = AuditPaging.Parse(cursor, limit, validation);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var me = await db.AuditPseudonyms.Where(p => p.UserId == userId).Select(p => (Guid?)p.Pseudonym).FirstOrDefaultAsync(cancellationToken);
        if (me is null)
        {
            return new AccessLogPage([], null);
        }
        var query = db.AuditEntries.AsNoTracking().Where(e => e.SubjectId == me && (e.ActorId == null || e.ActorId != me));
        if (paging.Before is { } before)
        {
            query = query.Where(e => e.Seq < before);
        }
        var fetched = await query.OrderByDescending(e => e.Seq).Take(paging.Take + 1)
            .Select(e => new Row(e.Seq, e.At, e.Action, e.ActorKind, e.ActorId, e.PlantId)).ToListAsync(cancellationToken);
        var (rows, next) = paging.Cut(fetched, r => r.Seq);

        var actors = await DescribeActorsAsync(rows, cancellationToken);
        var plantIds = rows.Where(r => r.PlantId is not null).Select(r => r.PlantId!.Value).Distinct().ToList();
        // Only the caller's own plants are named; a plant they no longer own (or deleted) shows by id alone.
        var plantNames = await db.Plants.Where(p => plantIds.Contains(p.Id) && p.OwnerId == userId)
            .ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var items = rows.Select(r => new AccessLogLine(
            r.Seq, r.At, r.Action, AuditText.Action(r.Action),
            actors.GetValueOrDefault((r.ActorKind, r.ActorId), Unknown(r.ActorKind)),
            r.PlantId, r.PlantId is { } p ? plantNames.GetValueOrDefault(p) : null)).ToList();
        return new AccessLogPage(items, next);
    }

    private static AccessLogActor Unknown(AuditActorKind kind) => kind switch
    {
        AuditActorKind.System => new("system", "Helio, automatically"),
        AuditActorKind.Anonymous => new("anonymous", "someone not signed in"),
        AuditActorKind.ApiAccount => new("api-account", "an API account that no longer exists"),
        _ => new("former-user", "a former user"),
    };

    private async Task<Dictionary<(AuditActorKind, Guid?), AccessLogActor>> DescribeActorsAsync(IReadOnlyList<Row> rows, CancellationToken cancellationToken)
    {
        var described = new Dictionary<(AuditActorKind, Guid?), AccessLogActor>();
        var pseudonyms = rows.Where(r => r.ActorKind == AuditActorKind.User && r.ActorId is not null).Select(r => r.ActorId!.Value).Distinct().ToList();
        if (pseudonyms.Count > 0)
        {
            var people = await db.AuditPseudonyms.Where(p => pseudonyms.Contains(p.Pseudonym))
                .Join(db.Users, p => p.UserId, u => u.Id, (p, u) => new { p.Pseudonym, u.Id, u.EmailCipher })
                .ToListAsync(cancellationToken);
            var ids = people.Select(p => p.Id).ToList();
            var roles = (await db.UserRoles.Where(r => ids.Contains(r.UserId)).ToListAsync(cancellationToken)).ToLookup(r => r.UserId, r => r.Role);
            var memberships = (await db.OrganisationMembers.Where(m => ids.Contains(m.UserId))
                    .Join(db.Organisations, m => m.OrganisationId, o => o.Id, (m, o) => new { m.UserId, m.Role, o.Name })
                    .ToListAsync(cancellationToken))
                .ToLookup(m => m.UserId, m => $"{RoleName(m.Role)} at {m.Name}");
            foreach (var person in people)
            {
                var email = await protector.DecryptAsync(person.Id, UserStore.EmailField, person.EmailCipher, cancellationToken);
                var what = roles[person.Id].Select(PlatformRoleName).Concat(memberships[person.Id]).ToList();
                var description = what.Count == 0 ? Masking.Email(email) : $"{string.Join(", ", what)}, {Masking.Email(email)}";
                described[(AuditActorKind.User, person.Pseudonym)] = new AccessLogActor("person", description);
            }
        }
        var accountIds = rows.Where(r => r.ActorKind == AuditActorKind.ApiAccount && r.ActorId is not null).Select(r => r.ActorId!.Value).Distinct().ToList();
        if (accountIds.Count > 0)
        {
            foreach (var account in await db.ApiAccounts.Where(a => accountIds.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
            {
                described[(AuditActorKind.ApiAccount, account.Id)] = new AccessLogActor("api-account", $"API account “{account.Name}”");
            }
        }
        return described;
    }

    private static string PlatformRoleName(string role) => role switch
    {
        Roles.Admin => "Helio administrator",
        Roles.PrivacyOfficer => "Helio privacy officer",
        Roles.Support => "Helio support engineer",
        _ => role,
    };

    private static string RoleName(OrganisationRole role) => role switch
    {
        OrganisationRole.Admin => "administrator",
        OrganisationRole.Installer => "installer",
        OrganisationRole.AfterSales => "after-sales engineer",
        _ => "member",
    };

    private sealed record Row(long Seq, DateTimeOffset At, string Action, AuditActorKind ActorKind, Guid? ActorId, Guid? PlantId);
}
