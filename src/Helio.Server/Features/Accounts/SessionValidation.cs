using System.Security.Claims;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// Runs after every successful authentication (cookie or bearer): a principal whose session was ended,
/// or has expired, becomes anonymous, so a revoked token stops working on the very next request.
/// </summary>
internal sealed class SessionValidation(IServiceProvider services, TimeProvider time) : IClaimsTransformation
{
    private Guid checkedSession;

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        // API accounts have no session: OpenIddict's validation checks their token's entry on every request instead
        // (closing the account deletes it, rotating the secret revokes it).
        if (principal.Identity?.IsAuthenticated != true || principal.IsApiAccount())
        {
            return principal;
        }
        var sessionId = principal.SessionIdOf();
        if (sessionId != Guid.Empty && (sessionId == checkedSession || await IsLiveAsync(sessionId)))
        {
            checkedSession = sessionId;
            return principal;
        }
        return new ClaimsPrincipal(new ClaimsIdentity());
    }

    // Runs on every authenticated request: compiled once per provider.
    private static readonly CompiledQuery<Func<HelioDbContext, Guid, DateTimeOffset, Task<bool>>> IsLive = new(() =>
        EF.CompileAsyncQuery((HelioDbContext db, Guid id, DateTimeOffset now) =>
            db.Sessions.Any(s => s.Id == id && s.RevokedAt == null && s.ExpiresAt > now)));

    private Task<bool> IsLiveAsync(Guid sessionId)
    {
        // Resolved here, not in the constructor: anonymous requests never touch the database.
        var db = services.GetRequiredService<HelioDbContext>();
        return IsLive.For(db)(db, sessionId, time.GetUtcNow());
    }
}
