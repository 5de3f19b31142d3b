namespace Sobot.Receiver.Store;

/// <summary>
/// Who is reading a consumer now: an opaque <see cref="Holder"/> id (the same reader renews with it), a
/// <see cref="Description"/> for people ("alice@web01 pid 4242"), and when the lease runs out unless renewed.
/// </summary>
public sealed record ConsumerLease(string Holder, string Description, DateTimeOffset Until);
