namespace Helio.Server.Platform.Http;

/// <summary>Settings under "Tls".</summary>
public sealed class TlsOptions
{
    public const string Section = "Tls";

    /// <summary>PEM certificate (chain) file; with <see cref="KeyPath"/>, Kestrel serves HTTPS and pages get HSTS and redirection.</summary>
    public string? CertificatePath { get; set; }
    public string? KeyPath { get; set; }

    /// <summary>A reverse proxy terminates TLS: X-Forwarded-For/Proto from <see cref="KnownProxies"/> are honoured.</summary>
    public bool TerminatedByProxy { get; set; }

    /// <summary>Addresses of the proxies trusted for forwarded headers; loopback is always trusted.</summary>
    public string[] KnownProxies { get; set; } = [];

    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrWhiteSpace(KeyPath);

    /// <summary>Browsers reach Helio over HTTPS (directly or through the proxy): cookies can be Secure and __Host- prefixed.</summary>
    public bool ServesHttps => HasCertificate || TerminatedByProxy;

    public static TlsOptions From(IConfiguration configuration) => configuration.GetSection(Section).Get<TlsOptions>() ?? new();
}
