using System.Globalization;
using System.Net.Mail;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Accounts;

/// <param name="DateOfBirth">YYYY-MM-DD. Below the age of digital consent of <paramref name="Country"/>
/// (<see cref="Privacy.Lifecycle.AgeThresholds"/>) the account waits for a parent or guardian, whose address is <paramref name="GuardianEmail"/>.</param>
public sealed record RegisterRequest(string? Email, string? Phone, string? Password, string? Name, string? Country, string? DateOfBirth = null, string? GuardianEmail = null);

/// <summary>What registration answers: the same for a new and an already registered address, as it depends only on
/// what was typed. <paramref name="AwaitingGuardian"/>: a parent or guardian was asked to confirm.</summary>
public sealed record Registered(bool AwaitingGuardian);

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
    Privacy.Lifecycle.RequestGuardianConsent guardians,
    Microsoft.Extensions.Options.IOptions<Privacy.Lifecycle.RegionOptions> regions,
    Microsoft.Extensions.Options.IOptions<Privacy.Lifecycle.RetentionOptions> retention,
    TimeProvider time)
{
    public const string NameField = "users.name";
    public const string PhoneField = "users.phone";
    public const string DateOfBirthField = "users.date_of_birth";

    public async Task<Outcome<Registered>> HandleAsync(RegisterRequest request, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var validation = Validate(request, today, out var email, out var phone, out var birth, out var guardian);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var answer = new Registered(guardian is not null);
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
            return answer;
        }

        var phoneTaken = phone is not null && await db.Users.AnyAsync(u => u.PhoneIndex == blindIndex.Phone(phone), cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await CreateUserAsync(email, phoneTaken ? null : phone, request.Password!, request.Name!, request.Country!, birth, cancellationToken);
        if (!created.IsSuccess)
        {
            return created.ToRefusal();
        }
        var user = created.Value!;
        var guardianNote = "";
        if (guardian is not null)
        {
            var threshold = Privacy.Lifecycle.AgeThresholds.For(user.Country);
            await guardians.RecordAsync(user.Id, guardian, threshold, cancellationToken);
            guardianNote = $"\n\nBecause you are under {threshold}, a parent or guardian must also agree: once you have confirmed your address, we send them a link. You can sign in when they have confirmed; if nobody confirms within {retention.Value.GuardianConsentDays} days of registering, the account is deleted.";
        }
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var phoneNote = phoneTaken ? "\n\nThe phone number you gave is already used by another account, so it was not added. You can add a phone number on your Security page." : "";
        await outbox.QueueAsync(user.Id, email, "confirm-email", "Confirm your Helio account",
            $"Welcome to Helio.\n\nConfirm your e-mail address to start using your account:\n{links.ConfirmEmail(user.Id, token)}{guardianNote}{phoneNote}\n\nIf you did not register, ignore this mail and the account stays unusable.",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return answer;
    }

    /// <summary>
    /// Creates the user with a fresh data key, encrypted fields and blind indexes, accepting the current
    /// policy version (recorded as the "service" consent; the caller's SaveChanges stores the record), at home in this
    /// deployment's data region. Inputs must be validated. Also used by the demo seeder.
    /// </summary>
    internal async Task<Outcome<User>> CreateUserAsync(string email, string? e164Phone, string password, string name, string country, DateOnly? dateOfBirth, CancellationToken cancellationToken)
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
            DateOfBirthCipher = dateOfBirth is { } birth
                ? await protector.EncryptAsync(userId, DateOfBirthField, birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken)
                : null,
            HomeRegion = regions.Value.Region,
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

    internal static Validation Validate(RegisterRequest request, DateOnly today, out string email, out string? phone, out DateOnly birth, out string? guardianEmail)
    {
        var validation = new Validation();
        email = request.Email?.Trim() ?? "";
        phone = null;
        guardianEmail = null;
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
        if (!TryParseBirth(request.DateOfBirth, today, out birth, out var birthProblem))
        {
            validation.Add("dateOfBirth", birthProblem);
        }
        else if (PhoneNumbers.IsKnownCountry(request.Country) && Privacy.Lifecycle.AgeThresholds.NeedsGuardian(birth, request.Country, today))
        {
            // Only the person registering reads this: it is about what they typed, not about anyone's account.
            guardianEmail = request.GuardianEmail?.Trim() ?? "";
            if (guardianEmail.Length == 0)
            {
                validation.Add("guardianEmail", $"Under {Privacy.Lifecycle.AgeThresholds.For(request.Country)} in this country, a parent or guardian must agree to the account: give their e-mail address.");
            }
            else
            {
                ValidateEmail(validation, "guardianEmail", guardianEmail);
                if (string.Equals(guardianEmail, email, StringComparison.OrdinalIgnoreCase))
                {
                    validation.Add("guardianEmail", "Give your parent's or guardian's address, not your own.");
                }
            }
        }
        return validation;
    }

    /// <summary>The oldest date of birth accepted: anything before is a typing mistake.</summary>
    public const int MaxAgeYears = 130;

    private static bool TryParseBirth(string? text, DateOnly today, out DateOnly birth, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "Required.";
            birth = default;
            return false;
        }
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out birth))
        {
            problem = "A date as YYYY-MM-DD.";
            return false;
        }
        if (birth > today)
        {
            problem = "Cannot be in the future.";
            return false;
        }
        if (birth < today.AddYears(-MaxAgeYears))
        {
            problem = $"Must be within the last {MaxAgeYears} years.";
            return false;
        }
        return true;
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
