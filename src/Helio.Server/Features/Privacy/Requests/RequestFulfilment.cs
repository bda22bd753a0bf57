namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The seam for carrying a kind of request out (ADR 0023). Export, transfer, deletion and cancellation are accepted,
/// verified and tracked here; doing them is the next part of the privacy centre, which registers one implementation
/// per kind (<c>services.AddScoped&lt;IRequestFulfilment, ExportFulfilment&gt;()</c>). Until a kind has one, its
/// requests wait in the privacy officer's console like any other. An implementation moves the request on with
/// <see cref="StartRequest"/> and <see cref="CompleteRequest"/> (actor null: Helio itself), and may refuse it with
/// <see cref="RefuseRequest"/> and a reason, e.g. a transfer out of region without a legal basis.
/// </summary>
public interface IRequestFulfilment
{
    RequestKind Kind { get; }

    /// <summary>Called once the requester's identity is verified, after that has committed. Should queue work, not do
    /// it: the requester's HTTP request is waiting.</summary>
    Task StartAsync(PrivacyRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// A kind of request Helio carries out alone, start to finish, registered by the feature that does it (a deletion: the
/// deletion job notifies the recipients, erases the account and completes the request). A privacy officer may extend it
/// or, before the work starts, refuse it with reasons; starting or completing it by hand would answer it without the
/// erasure, so <see cref="RequestChange.HelioAnswers"/> refuses that.
/// </summary>
public sealed record AnsweredByHelio(RequestKind Kind);

/// <summary>The registered fulfilments, by kind.</summary>
internal sealed class RequestFulfilments(IEnumerable<IRequestFulfilment> all)
{
    public bool Handles(RequestKind kind) => all.Any(f => f.Kind == kind);

    public async Task StartAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        foreach (var fulfilment in all.Where(f => f.Kind == request.Kind))
        {
            await fulfilment.StartAsync(request, cancellationToken);
        }
    }
}
