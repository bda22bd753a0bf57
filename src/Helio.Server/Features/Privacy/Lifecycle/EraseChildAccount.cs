using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <param name="Email">The account's address, as reported (e.g. by a parent who never agreed).</param>
/// <param name="Confirm">Must be true: the erasure cannot be undone.</param>
public sealed record EraseChildAccountRequest(string? Email, bool? Confirm);

/// <summary>
/// An admin erases the account of a child found to have registered without a parent's or guardian's consent (a child
/// who gave a false date of birth, a parent who writes in): GDPR Art. 8 and the policy's "we will delete the relevant
/// data". The whole account goes through <see cref="AccountErasure"/>; the audit entry names the admin and the reason.
/// Nobody erases their own account this way.
/// </summary>
internal sealed class EraseChildAccount(UserManager<User> users, AccountErasure erasure)
{
    public const int MaxEmail = 254;

    public async Task<Outcome<Done>> HandleAsync(Guid adminId, EraseChildAccountRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var email = request.Email?.Trim() ?? "";
        RegisterAccount.ValidateEmail(validation, "email", email);
        if (request.Confirm != true)
        {
            validation.Add("confirm", "Confirm that this account belongs to a child without a guardian's consent: erasing it cannot be undone.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return Refusal.Invalid("email", "No account has this address.");
        }
        if (user.Id == adminId)
        {
            return Refusal.Conflict("This is your own account.");
        }
        await erasure.EraseAsync(user.Id, AuditActor.User(adminId), ErasureReasons.ChildWithoutConsent, cancellationToken);
        return new Done();
    }
}
