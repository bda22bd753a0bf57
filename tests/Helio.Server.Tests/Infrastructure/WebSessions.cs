using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>The web UI as a browser without scripts gets it: a cookie session from the sign-in form, and forms posted
/// with the antiforgery token and form name the page rendered.</summary>
public static partial class WebSessions
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Signs in through the sign-in page's form, as a browser does, and keeps its cookies.</summary>
    public static async Task<HttpClient> SignedInAsync(this HelioApp app, Owner owner)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://localhost") });
        var response = await PostFormAsync(browser, "/account/sign-in", "sign-in", new() { ["Input.Login"] = owner.Email, ["Input.Password"] = owner.Password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in answered {(int)response.StatusCode}");
        return browser;
    }

    /// <summary>Loads <paramref name="path"/>, then posts the form named <paramref name="formName"/> on it with its
    /// hidden fields (antiforgery token, form name) and <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, string formName, Dictionary<string, string>? fields = null)
    {
        var page = await browser.GetStringAsync(path, Ct);
        var forms = FormPattern().Matches(page).Select(m => m.Value).ToList();
        var form = forms.FirstOrDefault(f => f.Contains($"name=\"_handler\" value=\"{formName}\"", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No form '{formName}' on {path}.");
        var posted = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        foreach (var (name, value) in fields ?? [])
        {
            posted[name] = value;
        }
        return await browser.PostAsync(path, new FormUrlEncodedContent(posted), Ct);
    }

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
