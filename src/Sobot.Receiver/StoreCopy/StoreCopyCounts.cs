namespace Sobot.Receiver.StoreCopy;

/// <summary>What one copy did: rows written now, and rows the target already had (from an earlier run).</summary>
public sealed record StoreCopyCounts(long BodiesCopied, long BodiesPresent, long EventsCopied, long EventsPresent, long StatusesMerged, long ConsumersCopied, long ConsumersPresent)
{
    public long OptOutsCopied { get; init; }
    public long OptOutsPresent { get; init; }
    public long DecisionsMerged { get; init; }
    public long LastInboundMerged { get; init; }

    public override string ToString() =>
        $"bodies: {BodiesCopied} copied, {BodiesPresent} already there; events: {EventsCopied} copied, {EventsPresent} already there; " +
        $"statuses: {StatusesMerged} merged; consumers: {ConsumersCopied} copied, {ConsumersPresent} already there; " +
        $"opt-outs: {OptOutsCopied} copied, {OptOutsPresent} already there; decisions: {DecisionsMerged} merged; last inbound: {LastInboundMerged} merged";
}
