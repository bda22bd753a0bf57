using System.Security.Claims;
using System.Buffers.Text;
using System.Security.Cryptography;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Accounts;

/// <summary>Starts, refreshes and ends sessions; the only place that mints access and refresh tokens.</summary>
internal sealed class Sessions(HelioDbContext db, TimeProvider time, IOptionsMonitor<BearerTokenOptions> bearer)
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ApiSessionLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan WebSessionLifetime = TimeSpan.FromDays(14);

    public async Task<ClaimsPrincipal> StartWebSessionAsync(User user, CancellationToken cancellationToken)
    {
        var session = NewSession(user.Id, SessionKind.Web, WebSessionLifetime);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return await PrincipalAsync(user.Id, session.Id, AuthSchemes.Cookie, cancellationToken);
    }

    public async Task<TokenResponse> StartApiSessionAsync(User user, CancellationToken cancellationToken)
    {
        var session = NewSession(user.Id, SessionKind.Api, ApiSessionLifetime);
        var refreshToken = NewRefreshToken(session);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return await TokensAsync(session, refreshToken, cancellationToken);
    }

    /// <summary>
    /// Rotates the refresh token. A token that was already rotated away means it leaked (or a client
    /// replays it): the whole session ends, as OAuth 2.0 Security BCP §4.14 recommends.
    /// </summary>
    public async Task<TokenResponse?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (!TryParseRefreshToken(refreshToken, out var sessionId, out var secret))
        {
            return null;
        }
        var now = time.GetUtcNow();
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.Kind == SessionKind.Api, cancellationToken);
        if (session is null || session.RevokedAt is not null || session.ExpiresAt <= now || session.RefreshTokenHash is null)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(secret), session.RefreshTokenHash))
        {
            session.RevokedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        var next = NewRefreshToken(session);
        session.ExpiresAt = now + ApiSessionLifetime;
        await db.SaveChangesAsync(cancellationToken);
        return await TokensAsync(session, next, cancellationToken);
    }

    public Task EndAsync(Guid sessionId, CancellationToken cancellationToken) =>
        db.Sessions.Where(s => s.Id == sessionId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, time.GetUtcNow()), cancellationToken);

    /// <summary>Ends every session of the user but <paramref name="except"/> (after a password change, reset or erasure).</summary>
    public Task EndAllAsync(Guid userId, CancellationToken cancellationToken, Guid? except = null) =>
        db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != except)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, time.GetUtcNow()), cancellationToken);

    private Session NewSession(Guid userId, SessionKind kind, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        return new Session { Id = Guid.NewGuid(), UserId = userId, Kind = kind, CreatedAt = now, ExpiresAt = now + lifetime };
    }

    private static string NewRefreshToken(Session session)
    {
        Span<byte> token = stackalloc byte[48];
        session.Id.TryWriteBytes(token[..16]);
        RandomNumberGenerator.Fill(token[16..]);
        session.RefreshTokenHash = SHA256.HashData(token[16..]);
        return Base64Url.EncodeToString(token);
    }

    private static bool TryParseRefreshToken(string token, out Guid sessionId, out byte[] secret)
    {
        sessionId = Guid.Empty;
        secret = [];
        if (token.Length != 64)
        {
            return false;
        }
        var bytes = new byte[48];
        if (!Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != 48)
        {
            return false;
        }
        sessionId = new Guid(bytes.AsSpan(0, 16));
        secret = bytes[16..];
        return true;
    }

    private async Task<TokenResponse> TokensAsync(Session session, string refreshToken, CancellationToken cancellationToken)
    {
        var principal = await PrincipalAsync(session.UserId, session.Id, AuthSchemes.Bearer, cancellationToken);
        var now = time.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + AccessTokenLifetime }, AuthSchemes.Bearer);
        var accessToken = bearer.Get(AuthSchemes.Bearer).BearerTokenProtector.Protect(ticket);
        return new TokenResponse(accessToken, refreshToken, (int)AccessTokenLifetime.TotalSeconds);
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(Guid userId, Guid sessionId, string scheme, CancellationToken cancellationToken)
    {
        var roles = await db.UserRoles.Where(r => r.UserId == userId).Select(r => r.Role).ToListAsync(cancellationToken);
        var identity = new ClaimsIdentity(scheme, ClaimTypes.NameIdentifier, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, userId.ToString()));
        identity.AddClaim(new Claim(HelioClaims.SessionId, sessionId.ToString()));
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }
        return new ClaimsPrincipal(identity);
    }
}

public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn)
{
    public string TokenType => "Bearer";
}

public static class HelioClaims
{
    public const string SessionId = "sid";

    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : throw new InvalidOperationException("Not signed in.");

    public static Guid SessionIdOf(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionId), out var id) ? id : Guid.Empty;
}

public static class AuthSchemes
{
    public const string Cookie = "Helio.Cookie";
    public const string Bearer = "Helio.Bearer";
}
