namespace Helio.Server.Platform;

/// <summary>Settings under "Helio": where this node keeps its files.</summary>
public sealed class HelioOptions
{
    public const string Section = "Helio";

    /// <summary>Holds helio.db (SQLite), keys/ and mail-outbox/. Relative paths are against the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Public base address used in e-mailed links, e.g. https://helio.example.com. Defaults to the request's own.</summary>
    public string? PublicBaseUrl { get; set; }

    public string DataPath(params string[] parts) =>
        Path.Combine([Path.GetFullPath(DataDirectory), .. parts]);
}
