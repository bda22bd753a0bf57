namespace Helio.Server.Features.RemoteControl;

/// <summary>Wakes this node's dispatcher right after an operation is queued on it (the other nodes find it at their next poll).</summary>
internal sealed class OperationSignal : Platform.Jobs.WakeSignal;
