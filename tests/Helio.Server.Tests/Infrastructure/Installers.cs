using System.Net;
using System.Net.Http.Json;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>Intent helpers for installer organisations and plant shares: what admins, staff and owners do, through the
/// public API and the invitees' real mailboxes.</summary>
public static class Installers
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<Guid> CreateOrganisationAsync(this Owner admin, string name = "Sunny Installers")
    {
        var response = await admin.Client.PostAsJsonAsync("/api/v1/organisations", new { name }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Invites <paramref name="email"/> and returns the token of the link in the mail that invitation sent.</summary>
    public static async Task<string> InviteAsync(this HelioApp app, Owner admin, Guid organisation, string email, string role = "installer")
    {
        var before = Count(app, email, "on Helio");
        var response = await admin.Client.PostAsJsonAsync($"/api/v1/organisations/{organisation}/invitations", new { email, role }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await TokenFromNewMailAsync(app, email, "on Helio", "/organisations/join", before);
    }

    /// <summary>Invites a registered user and has them accept: they are then a member with <paramref name="role"/>.</summary>
    public static async Task JoinAsync(this HelioApp app, Owner admin, Guid organisation, Owner member, string role = "installer")
    {
        var token = await app.InviteAsync(admin, organisation, member.Email, role);
        var accepted = await member.Client.PostAsJsonAsync("/api/v1/organisation-invitations/accept", new { token }, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    public static async Task<Guid> ShareWithOrganisationAsync(this Owner owner, Guid plant, Guid organisation, string scope = "view")
    {
        await owner.ConsentAsync("installer-sharing", true);
        var response = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/shares", new { organisationId = organisation, scope }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Gives (or withdraws) consent to <paramref name="purpose"/>, as the privacy page's toggle would.</summary>
    public static async Task ConsentAsync(this Owner user, string purpose, bool given)
    {
        var response = await user.Client.PutAsJsonAsync("/api/v1/me/consents", new Dictionary<string, bool> { [purpose] = given }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"consent: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>The owner invites <paramref name="email"/> to share the plant; returns the token of the mailed link.</summary>
    public static async Task<string> InviteToShareAsync(this HelioApp app, Owner owner, Guid plant, string email, string scope = "view")
    {
        var before = Count(app, email, "shared with you");
        var response = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/shares", new { email, scope }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await TokenFromNewMailAsync(app, email, "shared with you", "/shares/accept", before);
    }

    /// <summary>Shares the plant with a registered person, who accepts; returns the share's id.</summary>
    public static async Task<Guid> ShareWithPersonAsync(this HelioApp app, Owner owner, Guid plant, Owner person, string scope = "view")
    {
        var token = await app.InviteToShareAsync(owner, plant, person.Email, scope);
        var accepted = await person.Client.PostAsJsonAsync("/api/v1/share-invitations/accept", new { token }, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var shares = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).JsonAsync();
        return shares.EnumerateArray().Last(s => s.GetProperty("email").GetString() == person.Email).GetProperty("id").GetGuid();
    }

    private static int Count(HelioApp app, string to, string subject) =>
        app.Mail.To(to).Count(m => (m.Subject ?? "").Contains(subject, StringComparison.Ordinal));

    private static async Task<string> TokenFromNewMailAsync(HelioApp app, string to, string subject, string path, int before)
    {
        await Eventually.True(() => Count(app, to, subject) > before, $"no new mail '{subject}' to {to}");
        var mail = app.Mail.To(to).Last(m => (m.Subject ?? "").Contains(subject, StringComparison.Ordinal));
        return Owners.LinkQuery(mail.TextBody!, path, "token");
    }
}
