using System.Globalization;
using System.Text.Encodings.Web;
using Helio.Server.Features.Privacy.Requests;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// index.html: the export for people — who it is about, what each file holds and how many rows, the plants and devices,
/// the requests, and where the rest is. One self-contained page (no scripts, no external styles), every value encoded.
/// </summary>
internal static class ExportSummary
{
    public static void Write(TextWriter w, MyDataDto data, ExportCounts counts, DateTimeOffset at)
    {
        var html = HtmlEncoder.Default;
        string E(string? text) => html.Encode(text ?? "");
        string T(DateTimeOffset time) => time.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

        w.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your Helio data</title>");
        w.Write("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style></head><body>\n");
        w.Write($"<h1>Your Helio data</h1>\n<p>A copy of the personal data Helio holds about <strong id=\"account-name\">{E(data.Account.Name)}</strong> (<span id=\"account-email\">{E(data.Account.Email)}</span>), made on {E(T(at))}.</p>\n");

        w.Write("<h2>The files</h2>\n<table><tr><th>File</th><th>What it holds</th></tr>\n");
        Row(w, "my-data.json", "Everything below in machine-readable JSON: account, sign-in state, sessions, plants, devices, shares, organisations, after-sales access, API accounts, notification settings, requests, the latest entries of who accessed your data" + (data.More is { Count: > 0 } more ? ", " + string.Join(", ", more.Keys) : "") + ".");
        Row(w, "plants.csv, devices.csv, requests.csv", "The same plants, devices and requests as tables.");
        Row(w, "my-data.json (consents), consents.csv", $"Your consents as they stand ({counts.Consents} given) and every decision you made about them.");
        Row(w, "access-log.csv", $"Every recorded access to your data by anyone else ({counts.AccessLog} entries).");
        Row(w, "telemetry/readings.csv", $"The raw readings of your devices ({counts.Readings} rows; power in W, energy in kWh, times in UTC).");
        Row(w, "alarms/alarms.json, alarms/alarms.csv", $"The alarms of your plants with their explanations and histories ({counts.Alarms} alarms).");
        w.Write("</table>\n");

        w.Write("<h2>Account</h2>\n<table>\n");
        Pair(w, "Name", E(data.Account.Name));
        Pair(w, "E-mail", E(data.Account.Email));
        Pair(w, "Phone", E(data.Account.Phone));
        Pair(w, "Country", E(data.Account.Country));
        Pair(w, "Two-factor authentication", data.Account.TwoFactorEnabled ? "on" : "off");
        Pair(w, "Registered", E(T(data.Account.CreatedAt)));
        w.Write("</table>\n");

        w.Write($"<h2>Plants ({data.Plants.Count})</h2>\n<ul>\n");
        foreach (var plant in data.Plants)
        {
            w.Write($"<li>{E(plant.Name)}: {plant.CapacityKwp.ToString(CultureInfo.InvariantCulture)} kWp, {plant.DeviceCount} devices, {E(plant.Address)}</li>\n");
        }
        w.Write($"</ul>\n<h2>Devices ({data.Devices.Count})</h2>\n<ul>\n");
        foreach (var device in data.Devices)
        {
            w.Write($"<li>{E(device.SerialNumber)} ({E(ExportNames.Of(device.Kind))}{(device.Model is null ? "" : ", " + E(device.Model))})</li>\n");
        }
        w.Write($"</ul>\n<h2>Notification settings</h2>\n<p>{data.Notifications.PlantSettings.Count} plant settings, {data.Notifications.Webhooks.Count} webhooks, {data.Notifications.PushSubscriptions.Count} push subscriptions: see my-data.json.</p>\n");
        w.Write($"<h2>Requests ({data.Requests.Count})</h2>\n<ul>\n");
        foreach (var request in data.Requests)
        {
            w.Write($"<li>{E(RequestText.Title(request.Kind))}, received {E(T(request.ReceivedAt))}: {E(RequestText.State(request.State))}</li>\n");
        }
        w.Write($"</ul>\n<h2>Who accessed your data</h2>\n<p>{counts.AccessLog} entries, newest first, in access-log.csv.</p>\n</body></html>\n");
    }

    private static void Row(TextWriter w, string file, string what) =>
        w.Write($"<tr><td><code>{HtmlEncoder.Default.Encode(file)}</code></td><td>{HtmlEncoder.Default.Encode(what)}</td></tr>\n");

    private static void Pair(TextWriter w, string name, string encodedValue) => w.Write($"<tr><th>{name}</th><td>{encodedValue}</td></tr>\n");
}
