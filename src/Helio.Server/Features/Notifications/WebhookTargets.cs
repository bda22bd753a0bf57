using System.Net;
using System.Net.Sockets;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Where webhooks and push deliveries may go. Users choose the URLs, so without these rules any user could make the
/// server call its own network (SSRF): a URL must be https and its host must not be loopback, private, link-local or
/// unique-local, unless Notifications:AllowPrivateTargets says otherwise. The address is checked once when the URL is
/// saved and again when each connection is opened, on the address actually connected to, so a DNS name that answers
/// differently later (DNS rebinding) gets no further.
/// </summary>
internal static class WebhookTargets
{
    public const string ClientName = "helio-deliveries";
    public const int MaxUrlLength = 2000;

    /// <summary>Checks a URL the user sends; resolves its host so that a name of an internal address is refused now rather than at every delivery.</summary>
    public static async Task CheckAsync(Validation validation, string field, string? url, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            validation.Add(field, "Required.");
            return;
        }
        if (url.Length > MaxUrlLength)
        {
            validation.Add(field, $"Must be at most {MaxUrlLength} characters.");
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            validation.Add(field, "Must be an absolute https:// URL.");
            return;
        }
        if (allowPrivate)
        {
            return;
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            validation.Add(field, "Must be an absolute https:// URL.");
            return;
        }
        if (!await IsPublicHostAsync(uri.IdnHost, cancellationToken))
        {
            validation.Add(field, "Must not point to a loopback, private, link-local or unique-local address.");
        }
    }

    private static async Task<bool> IsPublicHostAsync(string host, CancellationToken cancellationToken)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (IPAddress.TryParse(host, out var literal))
        {
            return IsPublic(literal);
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            return addresses.All(IsPublic);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A name that does not resolve now may resolve later; the check at connection time still stands guard.
            return true;
        }
    }

    /// <summary>Whether an address is on the public internet (not loopback, private, CGNAT, link-local, unique-local, multicast or reserved).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast and reserved
                || (b[0] == 100 && b[1] is >= 64 and <= 127) // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254) // link-local (cloud metadata services live here)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
                || (b[0] == 198 && b[1] is 18 or 19)); // benchmarking
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }
        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that must pass the same test.
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublic(new IPAddress(v6[12..]));
        }
        if (v6[0] == 0x20 && v6[1] == 0x02)
        {
            return IsPublic(new IPAddress(v6[2..6]));
        }
        // ::/96 (unspecified and the old IPv4-compatible form) is not routable.
        return v6[..12].IndexOfAnyExcept((byte)0) >= 0;
    }

    /// <summary>
    /// The handler of the deliveries' HTTP client: connects only to public addresses (unless allowed otherwise), checked
    /// on the address connected to; follows no redirects, so a receiver cannot point it elsewhere.
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = allowPrivate ? addresses : addresses.Where(IsPublic).ToArray();
            if (allowed.Length == 0)
            {
                throw new TargetRefusedException();
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>The target's address is not public and private targets are not allowed.</summary>
internal sealed class TargetRefusedException() : IOException("The target address is not public.");
