using System.Globalization;
using System.Text;

namespace Helio.Server.Features.Access;

/// <summary>
/// How staff see a person's contact details (the policy's "anonymisation by masking"): enough to recognise the person
/// they are helping, not enough to contact or identify them. Pure functions over text elements (what a reader calls a
/// letter), so a name in any script keeps whole letters and an accent is never split from its letter.
/// <list type="bullet">
/// <item>Name: each word keeps its first letter, the rest become one star each (<c>Jane Doe</c> → <c>J*** D**</c>);
/// words are separated by spaces and hyphens, which stay. A one-letter word still gets a star, so that no word is
/// shown whole.</item>
/// <item>E-mail: the local part's first letter, the domain's first label's first letter, and the top-level domain,
/// with three stars for everything else whatever its length (<c>jane.doe@mail.example.co.uk</c> →
/// <c>j***@m***.uk</c>).</item>
/// <item>Phone: its last three digits behind a fixed pattern (<c>*** *** *123</c>), so neither the country nor the
/// length shows.</item>
/// </list>
/// </summary>
public static class Masking
{
    private const string Stars = "***";

    public static string Name(string name)
    {
        var masked = new StringBuilder(name.Length);
        var atWordStart = true;
        var lettersInWord = 0;
        foreach (var element in TextElements(name.Trim()))
        {
            if (IsSeparator(element))
            {
                if (atWordStart)
                {
                    continue; // runs of spaces collapse; a leading hyphen is dropped
                }
                if (lettersInWord == 1)
                {
                    masked.Append('*');
                }
                masked.Append(element == "-" ? '-' : ' ');
                atWordStart = true;
                lettersInWord = 0;
                continue;
            }
            masked.Append(atWordStart ? element : "*");
            atWordStart = false;
            lettersInWord++;
        }
        if (lettersInWord == 1)
        {
            masked.Append('*');
        }
        return masked.ToString().TrimEnd(' ', '-');
    }

    public static string Email(string email)
    {
        var at = email.LastIndexOf('@');
        var local = at < 0 ? email : email[..at];
        var domain = at < 0 ? "" : email[(at + 1)..];
        var masked = First(local) + Stars;
        if (domain.Length == 0)
        {
            return masked;
        }
        var labels = domain.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (labels.Length == 0)
        {
            return masked;
        }
        masked += "@" + First(labels[0]) + Stars;
        return labels.Length > 1 ? masked + "." + labels[^1] : masked;
    }

    /// <summary>Null when there is no phone number.</summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var digits = phone.Where(char.IsAsciiDigit).ToArray();
        var last = digits.Length >= 3 ? new string(digits[^3..]) : "***";
        return "*** *** *" + last;
    }

    private static string First(string text)
    {
        foreach (var element in TextElements(text))
        {
            return element;
        }
        return "";
    }

    private static bool IsSeparator(string element) => element == "-" || string.IsNullOrWhiteSpace(element);

    private static IEnumerable<string> TextElements(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            yield return elements.GetTextElement();
        }
    }
}
