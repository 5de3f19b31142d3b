namespace Sobot.Receiver.Store;

/// <summary>
/// The time rule. A webhook's timestamp is the sender's claim; the receiver's clock says when the event really
/// arrived. Every decision that depends on when a customer wrote (the order of STOP and START, the conversation
/// window, the <c>since</c> filter) uses the effective time: the WhatsApp timestamp when it is no later than arrival
/// plus <see cref="AllowedSkew"/>, otherwise the arrival time; the arrival time when there is no timestamp. So a
/// message dated 2100 counts as written when it arrived, and cannot outweigh what the customer says after it.
/// The arrival time stands in whole seconds, as WhatsApp's timestamps do: a forged message that arrives 300 ms into
/// a second is not later than a real STOP stamped with that second and arriving after it (equal times: the later
/// arrival wins).
/// </summary>
public static class EffectiveTime
{
    /// <summary>
    /// How far ahead of our clock a timestamp may be and still count: WhatsApp's clock and ours are both NTP-kept,
    /// but a host whose sync lapsed drifts by seconds to a minute or two; three minutes covers that and no more.
    /// </summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(3);

    private static readonly long SkewMilliseconds = (long)AllowedSkew.TotalMilliseconds;

    /// <summary>The effective time of an event with that timestamp received at that moment (stored to the millisecond; the effective time is whole seconds).</summary>
    public static DateTimeOffset Of(DateTimeOffset? eventTime, DateTimeOffset receivedAt)
    {
        long received = receivedAt.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(eventTime?.ToUnixTimeSeconds() * 1000 is long at && at <= received + SkewMilliseconds ? at : received / 1000 * 1000);
    }

    /// <summary>
    /// The rule as SQL over the events table's <c>event_time</c> (seconds) and <c>received_at</c> (milliseconds): the
    /// expression of the generated column <c>effective_at</c> on both stores, so the database computes it for every
    /// event, whichever receiver stored it (one not yet upgraded included). Built from <see cref="AllowedSkew"/>; the
    /// store contract tests compare what it gives with <see cref="Of"/>.
    /// </summary>
    internal static string Sql { get; } = FormattableString.Invariant(
        $"CASE WHEN event_time IS NOT NULL AND event_time * 1000 <= received_at + {SkewMilliseconds} THEN event_time * 1000 ELSE (received_at / 1000) * 1000 END");
}
