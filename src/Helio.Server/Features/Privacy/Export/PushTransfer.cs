using System.Net.Http.Headers;
using Helio.Server.Features.Notifications;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// Pushes a finished export to the third party the requester named: one HTTPS POST of the ZIP, streamed from the file,
/// through the client whose handler (<see cref="WebhookTargets.Handler"/>) connects only to the public address it
/// vetted (so DNS rebinding gets nowhere) and follows no redirects; bounded by <see cref="ExportOptions.TransferTimeout"/>
/// and <see cref="ExportOptions.MaxTransferBytes"/>. Any 2xx answer is a delivery; anything else is a refusal with its
/// reason, told to the requester. The receiver's answer body is never read.
/// </summary>
internal sealed class PushTransfer(IHttpClientFactory clients, Microsoft.Extensions.Options.IOptions<ExportOptions> options)
{
    public const string ClientName = "helio-privacy-transfers";

    public async Task<PushResult> SendAsync(Uri target, string path, long size, CancellationToken cancellationToken)
    {
        if (size > options.Value.MaxTransferBytes)
        {
            return PushResult.Refused($"The copy is {size} bytes, more than the {options.Value.MaxTransferBytes} bytes Helio sends to a third party.");
        }
        if (target.Scheme != Uri.UriSchemeHttps)
        {
            return PushResult.Refused("Helio sends data only to https:// addresses.");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.TransferTimeout);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var content = new StreamContent(file, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        content.Headers.ContentLength = size;
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
        try
        {
            using var response = await clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new PushResult(status, null)
                : PushResult.Refused($"The recipient did not accept the copy: it answered HTTP {status}{(status is >= 300 and < 400 ? " (a redirect, which Helio does not follow)" : "")}.");
        }
        catch (HttpRequestException e) when (e.InnerException is TargetRefusedException)
        {
            return PushResult.Refused("Helio does not send data to this address: it points to a loopback, private, link-local or unique-local address.");
        }
        catch (HttpRequestException)
        {
            return PushResult.Refused("Helio could not reach the recipient (connection or TLS failed).");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PushResult.Refused($"The recipient did not answer within {options.Value.TransferTimeout.TotalSeconds} seconds.");
        }
    }
}

/// <summary>The receiver's status, or why the copy did not go.</summary>
internal sealed record PushResult(int Status, string? Refusal)
{
    public static PushResult Refused(string reason) => new(0, reason);
}
