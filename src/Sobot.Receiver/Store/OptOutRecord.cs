namespace Sobot.Receiver.Store;

/// <summary>
/// A number on the suppression list. <see cref="Source"/> says who put it there: <c>inbound:&lt;wamid&gt;</c> for the
/// customer's stop message, <c>manual:&lt;text&gt;</c> for a person (e.g. <c>manual:alice@host</c>).
/// </summary>
public sealed record OptOutRecord(string CustomerNumber, DateTimeOffset Since, string Source);
