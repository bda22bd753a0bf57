using System.Security.Cryptography;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace Helio.Server.Features.Accounts;

public sealed record PasswordConfirmation(string? CurrentPassword);

public sealed record TwoFactorSetupDto(string SharedKey, string AuthenticatorUri, string QrCodeSvg);

public sealed record EnableTwoFactorRequest(string? Code);

public sealed record RecoveryCodesDto(string[] RecoveryCodes);

/// <summary>
/// TOTP two-factor authentication: set up (a new secret, shown once as text and QR code), enable with a
/// first valid code (which returns the recovery codes), disable, and new recovery codes. Changes need the
/// current password; enabling and disabling are mailed to the account's address.
/// </summary>
internal sealed class TwoFactor(HelioDbContext db, UserManager<User> users, CheckCredentials credentials, PersonalDataProtector protector, MailOutbox outbox)
{
    public async Task<Outcome<TwoFactorSetupDto>> SetUpAsync(Guid userId, PasswordConfirmation request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (!await credentials.PasswordAsync(user, request.CurrentPassword, cancellationToken))
        {
            return CheckCredentials.WrongCurrentPassword;
        }
        if (user!.TwoFactorEnabled)
        {
            return Refusal.Conflict("Two-factor authentication is already on; turn it off first to set up a new authenticator.");
        }
        var key = RandomNumberGenerator.GetBytes(20);
        user.AuthenticatorKeyCipher = await protector.EncryptAsync(userId, CheckCredentials.AuthenticatorField, Convert.ToBase64String(key), cancellationToken);
        user.LastTotpStep = 0;
        await db.SaveChangesAsync(cancellationToken);

        var secret = Totp.Base32(key);
        var label = Uri.EscapeDataString("Helio:" + await users.GetEmailAsync(user));
        var uri = $"otpauth://totp/{label}?secret={secret}&issuer=Helio&digits=6&period=30";
        using var qr = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(qr).GetGraphic(4);
        var grouped = string.Join(' ', secret.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        return new TwoFactorSetupDto(grouped, uri, svg);
    }

    public async Task<Outcome<RecoveryCodesDto>> EnableAsync(Guid userId, EnableTwoFactorRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user?.AuthenticatorKeyCipher is null)
        {
            return Refusal.Conflict("Set up an authenticator first.");
        }
        if (user.TwoFactorEnabled)
        {
            return Refusal.Conflict("Two-factor authentication is already on.");
        }
        if (request.Code is not { Length: 6 } || !await credentials.SecondFactorAsync(user, request.Code, cancellationToken))
        {
            return Refusal.Invalid("code", "The code is not valid; check the time on your phone and try the next code.");
        }
        var (codes, hashes) = RecoveryCodes.Generate();
        user.TwoFactorEnabled = true;
        user.RecoveryCodeHashes = hashes;
        await outbox.QueueAsync(userId, (await users.GetEmailAsync(user))!, "two-factor-enabled", "Two-factor authentication is on",
            "Two-factor authentication was turned on for your Helio account. Keep your recovery codes somewhere safe.\n\nIf this was not you, contact support at once.", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new RecoveryCodesDto(codes);
    }

    public async Task<Outcome<Done>> DisableAsync(Guid userId, PasswordConfirmation request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (!await credentials.PasswordAsync(user, request.CurrentPassword, cancellationToken))
        {
            return CheckCredentials.WrongCurrentPassword;
        }
        user!.TwoFactorEnabled = false;
        user.AuthenticatorKeyCipher = null;
        user.RecoveryCodeHashes = null;
        await outbox.QueueAsync(userId, (await users.GetEmailAsync(user))!, "two-factor-disabled", "Two-factor authentication is off",
            "Two-factor authentication was turned off for your Helio account.\n\nIf this was not you, change your password and contact support at once.", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }

    public async Task<Outcome<RecoveryCodesDto>> NewRecoveryCodesAsync(Guid userId, PasswordConfirmation request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (!await credentials.PasswordAsync(user, request.CurrentPassword, cancellationToken))
        {
            return CheckCredentials.WrongCurrentPassword;
        }
        if (!user!.TwoFactorEnabled)
        {
            return Refusal.Conflict("Two-factor authentication is off.");
        }
        var (codes, hashes) = RecoveryCodes.Generate();
        user.RecoveryCodeHashes = hashes;
        await db.SaveChangesAsync(cancellationToken);
        return new RecoveryCodesDto(codes);
    }
}
