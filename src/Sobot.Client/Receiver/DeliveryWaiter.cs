using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// Waits until sent messages reach a status (sent, delivered or read) or fail, through the receiver's
    /// store: the statuses already stored first (one batched query), then new status events after the
    /// cursor read before that query, so nothing that arrives in between is missed. Statuses only move
    /// forward (<see cref="StatusProgression"/>): sent &lt; delivered &lt; read, and failed ends the wait for that message.
    /// </summary>
    public sealed class DeliveryWaiter : ReceiverWait
    {
        private readonly Dictionary<string, (object? State, int Rank)> _pending;
        private readonly int _target;
        private readonly Queue<DeliveryOutcome> _outcomes = new Queue<DeliveryOutcome>();
        private long _cursor = -1;

        public DeliveryWaiter(SobotReceiverClient client, IEnumerable<KeyValuePair<string, object?>> messages, string until) : base(client)
        {
            _target = StatusProgression.Rank(until);
            if (_target < StatusProgression.Sent || _target > StatusProgression.Read) throw new ArgumentException("Wait until Sent, Delivered or Read.", nameof(until));
            _pending = new Dictionary<string, (object?, int)>(StringComparer.Ordinal);
            foreach (var m in messages) _pending[m.Key] = (m.Value, 0);
        }

        public IReadOnlyCollection<string> Pending => _pending.Keys;

        public object? StateOf(string messageId) => _pending.TryGetValue(messageId, out var p) ? p.State : null;

        /// <summary>The next message that reached the status or failed; null when the deadline passes first.
        /// A receiver that cannot be reached when the deadline passes ends it with <see cref="SobotReceiverUnavailableException"/>.</summary>
        public async Task<DeliveryOutcome?> NextAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_outcomes.Count > 0) return _outcomes.Dequeue();
                if (_pending.Count == 0) return null;
                var left = Left(deadline);
                if (left <= TimeSpan.Zero && !TakeLastLook()) return null;
                if (_cursor < 0)
                {
                    var health = await HealthAsync(deadline, cancellationToken).ConfigureAwait(false);
                    if (health is null) continue;
                    var stored = await AttemptAsync(t => Client.GetStatusesAsync(_pending.Keys.ToList(), t), deadline, cancellationToken).ConfigureAwait(false);
                    if (stored is null) continue;
                    foreach (var status in stored) See(status);
                    _cursor = health.LastSeq;
                    continue;
                }
                var page = await AttemptAsync(t => Client.GetEventsAsync(new ReceiverEventFilter { Type = "status" }, _cursor, SobotReceiverClient.MaximumPageSize, left, t), deadline, cancellationToken)
                    .ConfigureAwait(false);
                if (page is null) continue;
                _cursor = Advance(_cursor, page);
                foreach (var e in page.Events)
                    if (e is SobotMessageStatus status) See(status);
            }
        }

        private void See(SobotMessageStatus status)
        {
            if (status.MessageId is null || !_pending.TryGetValue(status.MessageId, out var pending)) return;
            int rank = StatusProgression.Rank(status.Status);
            if (rank <= pending.Rank) return; // statuses only move forward
            if (rank >= _target)
            {
                _pending.Remove(status.MessageId);
                _outcomes.Enqueue(new DeliveryOutcome(status.MessageId, pending.State, status, failed: rank == StatusProgression.Failed));
            }
            else
            {
                _pending[status.MessageId] = (pending.State, rank);
            }
        }
    }
}
