namespace Helio.Server.Features.Accounts;

/// <summary>Settings under "Accounts".</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Sign-in waits until the e-mail address is confirmed through the mailed link.</summary>
    public bool RequireConfirmedEmail { get; set; } = true;
}
