using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// Length 8–128 and not one of the ~18,000 most common passwords (NIST SP 800-63B §5.1.1.2); no
/// composition rules, which only push people towards predictable patterns.
/// </summary>
internal sealed class PasswordRules : IPasswordValidator<User>
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    private static readonly Lazy<FrozenSet<string>> Common = new(Load);

    public static string? Check(string? password) => password switch
    {
        null or "" => "Required.",
        { Length: < MinLength } => $"Must be at least {MinLength} characters.",
        { Length: > MaxLength } => $"Must be at most {MaxLength} characters.",
        _ when Common.Value.Contains(password.ToLowerInvariant()) => "This password is too common; choose another.",
        _ => null,
    };

    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password) =>
        Task.FromResult(Check(password) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = "password", Description = problem })
            : IdentityResult.Success);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(PasswordRules).Assembly.GetManifestResourceStream("Helio.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line);
            }
        }
        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
