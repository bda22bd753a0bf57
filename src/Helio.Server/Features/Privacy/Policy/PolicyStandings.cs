using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>Where a user stands with the policy (see <see cref="PolicyTimeline.Standing"/>), a dismissed notice left out.</summary>
public sealed class PolicyStandings(HelioDbContext db, PolicyTimeline timeline, TimeProvider time)
{
    // Runs on every signed-in request: compiled once per provider.
    private static readonly CompiledQuery<Func<HelioDbContext, Guid, Task<string?>>> Accepted = new(() =>
        EF.CompileAsyncQuery((HelioDbContext db, Guid id) => db.Users.Where(u => u.Id == id).Select(u => u.AcceptedPolicyVersion).FirstOrDefault()));

    public async Task<PolicyStanding> ForAsync(Guid userId, CancellationToken cancellationToken)
    {
        var accepted = await Accepted.For(db)(db, userId);
        var standing = PolicyTimeline.Standing(await timeline.GetAsync(db, cancellationToken), accepted, time.GetUtcNow());
        if (standing.Notice is { } notice && await db.PolicyNoticeDismissals.AnyAsync(d => d.UserId == userId && d.Version == notice.Version, cancellationToken))
        {
            standing = standing with { Notice = null };
        }
        return standing;
    }

    public async Task<MyPolicyDto> MineAsync(Guid userId, CancellationToken cancellationToken)
    {
        var standing = await ForAsync(userId, cancellationToken);
        return new MyPolicyDto(standing.Current?.Version, standing.Accepted ?? "", standing.MustAccept,
            standing.Notice is { } notice ? new PolicyNoticeDto(notice.Version, notice.Title, notice.Summary, notice.EffectiveAt) : null);
    }
}
