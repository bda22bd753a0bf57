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
    /// with <paramref name="inputs"/>, as a browser would.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string path, string formName, IDictionary<string, string>? inputs = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await browser.GetStringAsync(path, ct);
        Assert.Contains($"name=\"_handler\" value=\"{formName}\"", page, StringComparison.Ordinal);
        var fields = new Dictionary<string, string>(inputs ?? new Dictionary<string, string>())
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = HiddenFields(page)["__RequestVerificationToken"],
        };
        return await browser.PostAsync(path, new FormUrlEncodedContent(fields), ct);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
