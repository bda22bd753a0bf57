using System.Net.Mail;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Accounts;

public sealed record RegisterRequest(string? Email, string? Phone, string? Password, string? Name, string? Country);

/// <summary>
/// Registration asks for what the policy lists and nothing more. Whether or not the e-mail (or phone) is
/// already taken, the caller sees the same answer; the owner of an existing address gets a mail instead,
/// so registration cannot be used to learn who has an account.
/// </summary>
internal sealed class RegisterAccount(
    HelioDbContext db,
    UserManager<User> users,
    PersonalDataProtector protector,
    BlindIndex blindIndex,
    MailOutbox outbox,
    AccountLinks links,
    Privacy.Policy.PolicyQueries policies,
    TimeProvider time)
{
    public const string NameField = "users.name";
    public const string PhoneField = "users.phone";

    public async Task<Outcome<Done>> HandleAsync(RegisterRequest request, CancellationToken cancellationToken)
    {
        var validation = Validate(request, out var email, out var phone);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var existing = await users.FindByEmailAsync(email);
        if (existing is not null)
        {
            // Spend what a real registration spends (hashing) and tell only the address's owner.
            users.PasswordHasher.HashPassword(existing, request.Password!);
            var to = await users.GetEmailAsync(existing) ?? email;
            await outbox.QueueAsync(existing.Id, to, "already-registered", "Someone tried to register with your address",
                $"Someone, perhaps you, tried to create a Helio account with this e-mail address, which already has one.\n\nIf it was you, sign in: {links.SignIn}\nIf you forgot your password, use \"Forgot password\" there.\nIf it was not you, you can ignore this mail.",
                cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new Done();
        }

        var phoneTaken = phone is not null && await db.Users.AnyAsync(u => u.PhoneIndex == blindIndex.Phone(phone), cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await CreateUserAsync(email, phoneTaken ? null : phone, request.Password!, request.Name!, request.Country!, cancellationToken);
        if (!created.IsSuccess)
        {
            return created.ToRefusal();
        }
        var user = created.Value!;
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var phoneNote = phoneTaken ? "\n\nThe phone number you gave is already used by another account, so it was not added. You can add a phone number on your Security page." : "";
        await outbox.QueueAsync(user.Id, email, "confirm-email", "Confirm your Helio account",
            $"Welcome to Helio.\n\nConfirm your e-mail address to start using your account:\n{links.ConfirmEmail(user.Id, token)}{phoneNote}\n\nIf you did not register, ignore this mail and the account stays unusable.",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }

    /// <summary>
    /// Creates the user with a fresh data key, encrypted fields and blind indexes, accepting the current
    /// policy version (recorded as the "service" consent; the caller's SaveChanges stores the record).
    /// Inputs must be validated. Also used by the demo seeder.
    /// </summary>
    internal async Task<Outcome<User>> CreateUserAsync(string email, string? e164Phone, string password, string name, string country, CancellationToken cancellationToken)
    {
        var userId = Guid.NewGuid();
        var policy = await policies.CurrentVersionAsync(cancellationToken) ?? throw new InvalidOperationException("No privacy policy is in force.");
        db.UserDataKeys.Add(protector.CreateDataKey(userId));
        var user = new User
        {
            Id = userId,
            EmailIndex = [],
            EmailCipher = [],
            NameCipher = await protector.EncryptAsync(userId, NameField, name.Trim(), cancellationToken),
            PhoneIndex = e164Phone is null ? null : blindIndex.Phone(e164Phone),
            PhoneCipher = e164Phone is null ? null : await protector.EncryptAsync(userId, PhoneField, e164Phone, cancellationToken),
            Country = country.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            AcceptedPolicyVersion = policy,
            CreatedAt = time.GetUtcNow(),
        };
        await users.SetEmailAsync(user, email);
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            return Refusal.Invalid("password", string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        db.ConsentRecords.Add(Privacy.Consent.ConsentLedger.AtRegistration(userId, policy, user.CreatedAt));
        return user;
    }

    internal static Validation Validate(RegisterRequest request, out string email, out string? phone)
    {
        var validation = new Validation();
        email = request.Email?.Trim() ?? "";
        phone = null;
        ValidateEmail(validation, "email", email);
        validation.Require("name", request.Name, maxLength: 100);
        if (!PhoneNumbers.IsKnownCountry(request.Country))
        {
            validation.Add("country", PhoneNumbers.InvalidCountry);
        }
        if (!string.IsNullOrWhiteSpace(request.Phone))
        {
            if (PhoneNumbers.TryNormalise(request.Phone.Trim(), request.Country, out var e164))
            {
                phone = e164;
            }
            else
            {
                validation.Add("phone", PhoneNumbers.InvalidNumber);
            }
        }
        if (PasswordRules.Check(request.Password) is { } problem)
        {
            validation.Add("password", problem);
        }
        return validation;
    }

    internal static void ValidateEmail(Validation validation, string field, string email)
    {
        if (email.Length == 0)
        {
            validation.Add(field, "Required.");
        }
        else if (email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('.', StringComparison.Ordinal))
        {
            validation.Add(field, "Not a valid e-mail address.");
        }
    }
}
