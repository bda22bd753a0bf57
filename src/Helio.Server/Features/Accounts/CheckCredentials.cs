using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// Every password (and second-factor) check in Helio goes through here, so lockout applies everywhere:
/// five failures in a row lock the account for 15 minutes. Unknown accounts cost the same hash
/// computation and get the same answer, so timing and wording reveal nothing about who has an account.
/// </summary>
internal sealed class CheckCredentials(
    HelioDbContext db,
    UserManager<User> users,
    BlindIndex blindIndex,
    IPasswordHasher<User> hasher,
    PersonalDataProtector protector,
    TimeProvider time,
    IOptions<AccountsOptions> options,
    Audit.AuditTrail audit,
    Privacy.Deletion.WithdrawCancellation cancellations)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public const string Generic = "Invalid login or password.";

    /// <summary>The answer to a wrong current password when changing something sensitive (it counts towards lockout).</summary>
    public static Refusal WrongCurrentPassword { get; } = Refusal.Invalid("currentPassword", "The current password is not correct.");
    public const string AuthenticatorField = "users.authenticator_key";

    private static readonly User Nobody = new()
    {
        EmailIndex = [], EmailCipher = [], NameCipher = [], Country = "ZZ", SecurityStamp = "", ConcurrencyStamp = "", AcceptedPolicyVersion = "",
    };
    // A real hash of a random password: verifying against it costs what a real check costs.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<User>().HashPassword(Nobody, Guid.NewGuid().ToString()));

    public async Task<User?> FindByLoginAsync(string? login, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(login) || login.Length > 254)
        {
            return null;
        }
        if (login.Contains('@', StringComparison.Ordinal))
        {
            return await users.FindByEmailAsync(login);
        }
        // Phone sign-in takes the international form (+country code), as there is no country to read it in.
        if (PhoneNumbers.TryNormalise(login.Trim(), null, out var e164))
        {
            var index = blindIndex.Phone(e164);
            return await db.Users.SingleOrDefaultAsync(u => u.PhoneIndex == index, cancellationToken);
        }
        return null;
    }

    /// <summary>Checks a password for a user who may not exist; counts failures towards lockout.</summary>
    public async Task<bool> PasswordAsync(User? user, string? password, CancellationToken cancellationToken)
    {
        password ??= "";
        if (user?.PasswordHash is null)
        {
            hasher.VerifyHashedPassword(Nobody, DummyHash.Value, password);
            return false;
        }
        var locked = IsLockedOut(user);
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (locked || result == PasswordVerificationResult.Failed)
        {
            if (!locked)
            {
                await FailAsync(user, cancellationToken);
            }
            return false;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }
        if (user.AccessFailedCount != 0 || result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.AccessFailedCount = 0;
            await db.SaveChangesAsync(cancellationToken);
        }
        return true;
    }

    /// <summary>Checks an authenticator or recovery code; a wrong code counts towards lockout, a used code never works again.</summary>
    public async Task<bool> SecondFactorAsync(User user, string? code, CancellationToken cancellationToken)
    {
        if (IsLockedOut(user) || string.IsNullOrWhiteSpace(code) || user.AuthenticatorKeyCipher is null)
        {
            return false;
        }
        code = code.Replace(" ", "", StringComparison.Ordinal).Trim();
        var key = Convert.FromBase64String(await protector.DecryptAsync(user.Id, AuthenticatorField, user.AuthenticatorKeyCipher, cancellationToken));
        if (Totp.Match(key, code, time.GetUtcNow(), user.LastTotpStep) is { } step)
        {
            user.LastTotpStep = step;
            user.AccessFailedCount = 0;
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        if (code.Length > 6 && RecoveryCodes.Redeem(user.RecoveryCodeHashes, code) is { } remaining)
        {
            user.RecoveryCodeHashes = remaining;
            user.AccessFailedCount = 0;
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        await FailAsync(user, cancellationToken);
        return false;
    }

    /// <summary>The whole sign-in decision for the token endpoint and the web form. Every outcome but the prompt for a
    /// second factor is audited; a failure for an unknown login is recorded without a subject, and the typed login is
    /// never recorded.</summary>
    public async Task<Outcome<User>> SignInAsync(string? login, string? password, string? code, CancellationToken cancellationToken)
    {
        var user = await FindByLoginAsync(login, cancellationToken);
        if (!await PasswordAsync(user, password, cancellationToken))
        {
            await AuditFailureAsync(user, user is null ? "unknown-account" : IsLockedOut(user) ? "locked" : "password", cancellationToken);
            return Refusal.Unauthorized(Generic);
        }
        if (options.Value.RequireConfirmedEmail && !user!.EmailConfirmed)
        {
            await AuditFailureAsync(user, "unconfirmed", cancellationToken);
            return Refusal.Forbidden("Confirm your e-mail address first: follow the link we sent you.");
        }
        // Told only to whoever knows the password: to anyone else this account answers like every other.
        if (await Privacy.Lifecycle.GuardianConsents.IsAwaitingAsync(db, user!.Id, cancellationToken))
        {
            await AuditFailureAsync(user, "awaiting-guardian", cancellationToken);
            return Refusal.Forbidden(Privacy.Lifecycle.GuardianConsents.AwaitingGuardian);
        }
        if (user!.TwoFactorEnabled && !await SecondFactorAsync(user, code, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return new Refusal(OutcomeKind.Unauthorized, null, TwoFactorRequired);
            }
            await AuditFailureAsync(user, "code", cancellationToken);
            return Refusal.Unauthorized("Invalid authentication code.");
        }
        await audit.RecordAsync(new Audit.AuditRecord(Audit.AuditActions.SignedIn, Audit.AuditActor.User(user.Id), user.Id), cancellationToken);
        // Signing in during a cancellation's grace period withdraws it (ADR 0026).
        await cancellations.OnSignInAsync(user.Id, cancellationToken);
        return user;
    }

    private Task AuditFailureAsync(User? user, string reason, CancellationToken cancellationToken) =>
        audit.RecordAsync(new Audit.AuditRecord(Audit.AuditActions.SignInFailed, Audit.AuditActor.Anonymous, user?.Id,
            Detail: $$"""{"reason":"{{reason}}"}"""), cancellationToken);

    public const string TwoFactorRequired = "A two-factor authentication code is required.";

    private bool IsLockedOut(User user) => user.LockoutEnd is { } end && end > time.GetUtcNow();

    private async Task FailAsync(User user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount++;
        if (user.AccessFailedCount >= MaxFailures)
        {
            user.LockoutEnd = time.GetUtcNow() + LockoutDuration;
            user.AccessFailedCount = 0;
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
