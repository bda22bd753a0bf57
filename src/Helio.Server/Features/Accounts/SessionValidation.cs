using System.Security.Claims;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// Runs after every successful authentication (cookie or bearer): a principal whose session was ended,
/// or has expired, becomes anonymous, so a revoked token stops working on the very next request.
/// </summary>
internal sealed class SessionValidation(HelioDbContext db, TimeProvider time) : IClaimsTransformation
{
    private Guid checkedSession;

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
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

    private Task<bool> IsLiveAsync(Guid sessionId)
    {
        var now = time.GetUtcNow();
        return db.Sessions.AnyAsync(s => s.Id == sessionId && s.RevokedAt == null && s.ExpiresAt > now);
    }
}
