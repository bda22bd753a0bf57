namespace Helio.Server.Features.RemoteControl;

/// <summary>An e-mail address as people other than its owner see it (PRIVACY.md): <c>j***@e***.com</c>.</summary>
internal static class MaskedEmail
{
    public static string Of(string email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1)
        {
            return "***";
        }
        var domain = email[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        var top = dot > 0 ? domain[dot..] : "";
        return $"{email[0]}***@{domain[0]}***{top}";
    }
}
