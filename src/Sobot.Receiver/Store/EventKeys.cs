namespace Sobot.Receiver.Store;

/// <summary>
/// What the filters of <see cref="EventQuery"/> look at in an event, without its fields or raw text (a raw body may be
/// 3 MB): enough to tell which waiting long polls a commit concerns.
/// </summary>
public sealed record EventKeys(long Seq, EventKind Kind, string? CustomerNumber, string? MessageId, DateTimeOffset EffectiveAt);
