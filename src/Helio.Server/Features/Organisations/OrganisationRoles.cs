using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Organisations;

internal static class OrganisationRoles
{
    public static readonly OrganisationRole[] All = [OrganisationRole.Admin, OrganisationRole.Installer, OrganisationRole.AfterSales];

    /// <summary>JSON accepts a role's number too; only the three roles pass.</summary>
    public static void Validate(Validation validation, OrganisationRole? role)
    {
        if (role is null)
        {
            validation.Add("role", "Required.");
        }
        else if (!All.Contains(role.Value))
        {
            validation.Add("role", "Must be admin, installer or after-sales.");
        }
    }

    public static string Key(OrganisationRole role) => role switch
    {
        OrganisationRole.Admin => "admin",
        OrganisationRole.Installer => "installer",
        OrganisationRole.AfterSales => "after-sales",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static string Describe(OrganisationRole role) => role switch
    {
        OrganisationRole.Admin => "an admin",
        OrganisationRole.Installer => "an installer",
        OrganisationRole.AfterSales => "an after-sales engineer",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
