namespace Helio.Server.Features.Notifications;

/// <summary>Wakes the delivery worker on this node right after webhook or push deliveries are queued.</summary>
public sealed class DeliverySignal : Platform.Jobs.WakeSignal;
