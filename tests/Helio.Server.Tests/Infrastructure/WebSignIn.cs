using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>A browser's session for page tests: signed in through the sign-in page's form, cookies kept.</summary>
public static partial class WebSignIn
{
    public static async Task<HttpClient> SignedInAsync(this HelioApp app, Owner user)
    {
        var ct = TestContext.Current.CancellationToken;
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://localhost") });
        var form = await browser.GetStringAsync("/account/sign-in", ct);
        var fields = HiddenFields(form);
        fields["Input.Login"] = user.Email;
        fields["Input.Password"] = user.Password;
        var response = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields), ct);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in answered {(int)response.StatusCode}");
        return browser;
    }

    /// <summary>The hidden inputs of a page (the antiforgery token, the form's handler name), by name; the first wins.</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html).GroupBy(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));

    /// <summary>Loads <paramref name="path"/> and posts its form <paramref name="formName"/> (which must be on the page)
    /// with that form's hidden fields (antiforgery token, form name, ids) and <paramref name="inputs"/>, as a browser would.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string path, string formName, Dictionary<string, string>? inputs = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await browser.GetStringAsync(path, ct);
        var form = FormPattern().Matches(page).Select(m => m.Value)
            .FirstOrDefault(f => f.Contains($"name=\"_handler\" value=\"{formName}\"", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No form '{formName}' on {path}.");
        var fields = HiddenFields(form);
        foreach (var (name, value) in inputs ?? new Dictionary<string, string>())
        {
            fields[name] = value;
        }
        return await browser.PostAsync(path, new FormUrlEncodedContent(fields), ct);
    }

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
