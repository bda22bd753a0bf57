using System.Linq.Expressions;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Helio.Server.Features.Plants;

/// <summary>
/// The one answer to "which plants may this user see": every query for plants or their devices starts
/// here, so that a foreign plant is indistinguishable from a missing one. Later features (shares,
/// after-sales grants) widen the rules here and nowhere else.
/// </summary>
public sealed class PlantAccess(HelioDbContext db)
{
    // Each rule is written once, as an expression, so that it becomes SQL wherever it is used: in the
    // queries below and, through Inline, inside compiled queries (which take the context as a parameter
    // and so cannot call an instance method like Visible).
    private static readonly Expression<Func<HelioDbContext, Guid, Plant, bool>> CanSeeRule =
        (db, userId, plant) => plant.OwnerId == userId;

    private static readonly Expression<Func<HelioDbContext, Guid, Plant, bool>> CanManageRule =
        (db, userId, plant) => plant.OwnerId == userId;

    public IQueryable<Plant> Visible(Guid userId) => db.Plants.Where(Inline<Func<Plant, bool>>(p => CanSee(db, userId, p)));

    public IQueryable<Plant> Manageable(Guid userId) => db.Plants.Where(Inline<Func<Plant, bool>>(p => CanManage(db, userId, p)));

    /// <summary>For pages that show management controls only to those who may use them.</summary>
    public Task<bool> CanManageAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        Manageable(userId).AnyAsync(p => p.Id == plantId, cancellationToken);

    /// <summary>Stands for the visibility rule inside a query expression passed through <see cref="Inline{T}"/>.</summary>
    internal static bool CanSee(HelioDbContext db, Guid userId, Plant plant) => throw NotInlined();

    /// <summary>Stands for the management rule inside a query expression passed through <see cref="Inline{T}"/>.</summary>
    internal static bool CanManage(HelioDbContext db, Guid userId, Plant plant) => throw NotInlined();

    /// <summary>Replaces every <see cref="CanSee"/> and <see cref="CanManage"/> in a query expression by the rule itself.</summary>
    internal static Expression<T> Inline<T>(Expression<T> query) => (Expression<T>)new RuleInliner().Visit(query);

    private static InvalidOperationException NotInlined() =>
        new("PlantAccess rules run only inside query expressions passed through PlantAccess.Inline.");

    private sealed class RuleInliner : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var rule = node.Method.DeclaringType != typeof(PlantAccess) ? null : node.Method.Name switch
            {
                nameof(CanSee) => CanSeeRule,
                nameof(CanManage) => CanManageRule,
                _ => null,
            };
            if (rule is null)
            {
                return base.VisitMethodCall(node);
            }
            var arguments = node.Arguments.Select(Visit).ToArray();
            return new ReplacingExpressionVisitor(rule.Parameters, arguments!).Visit(rule.Body);
        }
    }
}
