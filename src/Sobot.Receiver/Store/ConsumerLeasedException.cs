namespace Sobot.Receiver.Store;

/// <summary>Another reader holds the consumer's lease: the write was refused and nothing changed (the query API answers 409).</summary>
public sealed class ConsumerLeasedException : Exception
{
    public ConsumerLeasedException(string name, ConsumerLease lease)
        : base($"The consumer '{name}' is being read by {lease.Description} (lease until {ReceiverJson.Time(lease.Until)}).")
    {
        Name = name;
        Lease = lease;
    }

    public string Name { get; }
    public ConsumerLease Lease { get; }
}
