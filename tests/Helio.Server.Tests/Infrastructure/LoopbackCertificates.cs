using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>Throwaway self-signed certificates for a TLS server on 127.0.0.1 (CN and IP subject alternative name).</summary>
public static class LoopbackCertificates
{
    /// <summary>Valid from yesterday for <paramref name="days"/> days, with its (exportable, in-memory) RSA key.</summary>
    public static X509Certificate2 Create(int days)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(days));
    }
}
