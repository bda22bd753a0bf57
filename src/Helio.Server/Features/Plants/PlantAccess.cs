using System.Linq.Expressions;
using Helio.Server.Features.Access;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Helio.Server.Features.Plants;

/// <summary>
/// The one answer to "which plants may this caller see, manage or operate": every query for plants or their devices
/// starts here, so that a foreign plant is indistinguishable from a missing one. The caller is a user or an API
/// account (whose id is its token's subject). The rules are read from the database on every request, so a share or
/// grant that ends takes effect on the next request, and platform roles appear nowhere in them: staff have no
/// standing access (ADR 0017).
/// <list type="bullet">
/// <item>see: the owner; a person the plant is shared with; the staff of an organisation it is shared with; an
/// after-sales engineer during an approved grant; an API account it is associated with.</item>
/// <item>manage: the owner; a person it is shared with to manage; an organisation's admins and installers when it is
/// shared with the organisation to manage.</item>
/// <item>operate (remote operations): the owner; an engineer during an approved operate grant.</item>
/// <item>own (delete the plant, share it, approve access to it): the owner alone.</item>
/// </list>
/// </summary>
public sealed class PlantAccess(HelioDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    // Each rule is written once, as an expression, so that it becomes SQL wherever it is used: in the queries below
    // and, through Inline, inside compiled queries (which take the context as a parameter and so cannot call an
    // instance method like Visible). Each is "plant id IN (a union of the ways in)", so that every branch uses its
    // own index rather than OR-ing them into a scan of all plants. An organisation's branch starts from the caller's
    // memberships and joins their organisations' shares: asked the other way round ("every share whose organisation
    // has the caller as a member") it scans every share of the platform: 4.8 ms of CPU a plant list with 10,000 shares
    // (AccessRulePlanTests holds every rule to index searches).
    private static readonly Expression<Func<HelioDbContext, Guid, DateTimeOffset, Plant, bool>> CanSeeRule =
        (db, userId, now, plant) =>
            db.Plants.Where(p => p.OwnerId == userId).Select(p => p.Id)
                .Concat(SeenOtherwiseIds(db, userId, now))
                .Contains(plant.Id);

    // The ways in to a plant the caller does not own. Most people have none: then what they see is what they own, which
    // a query reads straight from the (OwnerId, Name, Id) index (SeesOnlyOwnPlantsAsync, Inline's seesOnlyOwn).
    private static readonly Expression<Func<HelioDbContext, Guid, DateTimeOffset, IQueryable<Guid>>> SeenOtherwiseIdsRule =
        (db, userId, now) =>
            db.PlantShares.Where(s => s.UserId == userId && s.RevokedAt == null).Select(s => s.PlantId)
                .Concat(db.OrganisationMembers.Where(m => m.UserId == userId)
                    .Join(db.PlantShares.Where(s => s.RevokedAt == null), m => (Guid?)m.OrganisationId, s => s.OrganisationId, (m, s) => s.PlantId))
                .Concat(db.AccessRequests.Where(r => r.RequesterId == userId && r.State == AccessRequestState.Approved && r.StartsAt <= now && r.EndsAt > now).Select(r => r.PlantId));

    private static readonly Expression<Func<HelioDbContext, Guid, DateTimeOffset, Plant, bool>> OwnsRule =
        (db, userId, now, plant) => plant.OwnerId == userId;

    private static readonly CompiledQuery<Func<HelioDbContext, Guid, DateTimeOffset, Task<bool>>> SeesOtherwise = new(() =>
        EF.CompileAsyncQuery(Inline<Func<HelioDbContext, Guid, DateTimeOffset, bool>>((db, userId, now) => SeenOtherwiseIds(db, userId, now).Any())));

    // An API account's own rule, kept out of people's (the hot path's SQL, prepared on every request, grows with every
    // branch): it reads a plant while the account is open and while whoever associated the plant may still manage it:
    // a person who opened it (ending their share ends the account's reading too), or the organisation that opened it,
    // through its manage share.
    private static readonly Expression<Func<HelioDbContext, Guid, Plant, bool>> ApiAccountReadsRule =
        (db, accountId, plant) =>
            db.ApiAccountPlants.Where(a => a.ApiAccountId == accountId && db.ApiAccounts.Any(x => x.Id == accountId && x.ClosedAt == null
                && ((x.OwnerUserId != null && ManageableIds(db, x.OwnerUserId.Value).Contains(a.PlantId))
                    || (x.OrganisationId != null && db.PlantShares.Any(s => s.OrganisationId == x.OrganisationId && s.PlantId == a.PlantId && s.RevokedAt == null && s.Scope == ShareScope.Manage)))))
                .Select(a => a.PlantId)
                .Contains(plant.Id);

    private static readonly Expression<Func<HelioDbContext, Guid, IQueryable<Guid>>> ManageableIdsRule =
        (db, userId) =>
            db.Plants.Where(p => p.OwnerId == userId).Select(p => p.Id)
                .Concat(db.PlantShares.Where(s => s.UserId == userId && s.RevokedAt == null && s.Scope == ShareScope.Manage).Select(s => s.PlantId))
                .Concat(db.OrganisationMembers.Where(m => m.UserId == userId && (m.Role == OrganisationRole.Admin || m.Role == OrganisationRole.Installer))
                    .Join(db.PlantShares.Where(s => s.RevokedAt == null && s.Scope == ShareScope.Manage), m => (Guid?)m.OrganisationId, s => s.OrganisationId, (m, s) => s.PlantId));

    private static readonly Expression<Func<HelioDbContext, Guid, DateTimeOffset, Plant, bool>> CanManageRule =
        (db, userId, now, plant) => ManageableIds(db, userId).Contains(plant.Id);

    private static readonly Expression<Func<HelioDbContext, Guid, DateTimeOffset, Plant, bool>> CanOperateRule =
        (db, userId, now, plant) =>
            db.Plants.Where(p => p.OwnerId == userId).Select(p => p.Id)
                .Concat(db.AccessRequests.Where(r => r.RequesterId == userId && r.Scope == AccessScope.Operate
                    && r.State == AccessRequestState.Approved && r.StartsAt <= now && r.EndsAt > now).Select(r => r.PlantId))
                .Contains(plant.Id);

    /// <summary>Plants the user owns: only the owner deletes a plant or decides who else may reach it.</summary>
    public IQueryable<Plant> Owned(Guid userId) => db.Plants.Where(p => p.OwnerId == userId);

    public IQueryable<Plant> Visible(Guid userId)
    {
        if (CallerIsApiAccount)
        {
            return db.Plants.Where(Inline<Func<Plant, bool>>(p => ApiAccountReads(db, userId, p)));
        }
        var now = clock.GetUtcNow();
        return db.Plants.Where(Inline<Func<Plant, bool>>(p => CanSee(db, userId, now, p)));
    }

    /// <summary>The request is an API account's: its id is then the caller's, and it sees by its own rule. API
    /// accounts manage and operate nothing, so only "see" asks.</summary>
    public bool CallerIsApiAccount => http.HttpContext?.User.IsApiAccount() == true;

    public IQueryable<Plant> Manageable(Guid userId)
    {
        var now = clock.GetUtcNow();
        return db.Plants.Where(Inline<Func<Plant, bool>>(p => CanManage(db, userId, now, p)));
    }

    public IQueryable<Plant> Operable(Guid userId)
    {
        var now = clock.GetUtcNow();
        return db.Plants.Where(Inline<Func<Plant, bool>>(p => CanOperate(db, userId, now, p)));
    }

    /// <summary>For pages that show management controls only to those who may use them.</summary>
    public Task<bool> CanManageAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        Manageable(userId).AnyAsync(p => p.Id == plantId, cancellationToken);

    /// <summary>For pages that show the owner's controls (deleting the plant) to the owner alone.</summary>
    public Task<bool> OwnsAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        Owned(userId).AnyAsync(p => p.Id == plantId, cancellationToken);

    /// <summary>No share, membership or grant gives the person a plant they do not own: what they see is what they own,
    /// and a query may say so (<see cref="Inline{T}(Expression{T}, bool)"/>) to read it from the owner's index.</summary>
    public async Task<bool> SeesOnlyOwnPlantsAsync(Guid userId, CancellationToken cancellationToken) =>
        !CallerIsApiAccount && !await SeesOtherwise.For(db)(db, userId, clock.GetUtcNow());

    /// <summary>The instant the rules are judged at, for compiled queries that inline them.</summary>
    public DateTimeOffset Now() => clock.GetUtcNow();

    /// <summary>Stands for the visibility rule inside a query expression passed through <see cref="Inline{T}"/>.</summary>
    internal static bool CanSee(HelioDbContext db, Guid userId, DateTimeOffset now, Plant plant) => throw NotInlined();

    /// <summary>Stands for the management rule inside a query expression passed through <see cref="Inline{T}"/>.</summary>
    internal static bool CanManage(HelioDbContext db, Guid userId, DateTimeOffset now, Plant plant) => throw NotInlined();

    /// <summary>Stands for the remote-operation rule inside a query expression passed through <see cref="Inline{T}"/>.</summary>
    internal static bool CanOperate(HelioDbContext db, Guid userId, DateTimeOffset now, Plant plant) => throw NotInlined();

    /// <summary>An API account may read the plant.</summary>
    internal static bool ApiAccountReads(HelioDbContext db, Guid accountId, Plant plant) => throw NotInlined();

    /// <summary>The ids of the plants the user may manage; a placeholder, like the three below, for rules that use it.</summary>
    private static IQueryable<Guid> ManageableIds(HelioDbContext db, Guid userId) => throw NotInlined();

    private static IQueryable<Guid> SeenOtherwiseIds(HelioDbContext db, Guid userId, DateTimeOffset now) => throw NotInlined();

    /// <summary>Replaces every rule placeholder in a query expression by the rule itself; with
    /// <paramref name="seesOnlyOwn"/> (for a person <see cref="SeesOnlyOwnPlantsAsync"/> answered for, in this request),
    /// the visibility rule by ownership alone.</summary>
    internal static Expression<T> Inline<T>(Expression<T> query, bool seesOnlyOwn = false) => (Expression<T>)new RuleInliner(seesOnlyOwn).Visit(query);

    private static InvalidOperationException NotInlined() =>
        new("PlantAccess rules run only inside query expressions passed through PlantAccess.Inline.");

    private sealed class RuleInliner(bool seesOnlyOwn) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var rule = node.Method.DeclaringType != typeof(PlantAccess) ? null : node.Method.Name switch
            {
                nameof(CanSee) => seesOnlyOwn ? OwnsRule : CanSeeRule,
                nameof(SeenOtherwiseIds) => SeenOtherwiseIdsRule,
                nameof(CanManage) => CanManageRule,
                nameof(CanOperate) => CanOperateRule,
                nameof(ApiAccountReads) => ApiAccountReadsRule,
                nameof(ManageableIds) => (LambdaExpression)ManageableIdsRule,
                _ => null,
            };
            if (rule is null)
            {
                return base.VisitMethodCall(node);
            }
            var arguments = node.Arguments.Select(Visit).ToArray();
            // Visited again: a rule may use another (see uses manage).
            return Visit(new ReplacingExpressionVisitor(rule.Parameters, arguments!).Visit(rule.Body));
        }
    }
}
