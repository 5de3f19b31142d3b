using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// Waits for customers' answers through the receiver's store, so a wait survives a receiver restart and
    /// never misses an answer that arrived between the send and the start of the wait: it reads inbound
    /// events from the earliest question's time onwards, then long-polls for new ones after its cursor.
    /// The answer to a question is the first inbound message from its number at or after its send time;
    /// a message whose WhatsApp context names a message answers that message only. With choices, only a
    /// text or button that is one of them counts; others are reported through <see cref="Ignored"/>.
    /// </summary>
    public sealed class ReplyWaiter
    {
        private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);
        private readonly SobotReceiverClient _client;
        private readonly List<ReplyQuestion> _pending;
        private readonly HashSet<string>? _choices;
        private readonly Queue<ReplyMatch> _matches = new Queue<ReplyMatch>();
        private readonly DateTimeOffset _since;
        private long _cursor;

        public ReplyWaiter(SobotReceiverClient client, IEnumerable<ReplyQuestion> questions, IEnumerable<string>? choices = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _pending = questions.OrderBy(q => q.SentAt).ToList();
            var list = choices?.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToList();
            _choices = list is { Count: > 0 } ? new HashSet<string>(list, StringComparer.OrdinalIgnoreCase) : null;
            // WhatsApp's timestamps are whole seconds: read from the second before the earliest send.
            var earliest = _pending.Count > 0 ? _pending[0].SentAt : DateTimeOffset.UtcNow;
            _since = DateTimeOffset.FromUnixTimeSeconds(earliest.ToUnixTimeSeconds() - 1);
        }

        /// <summary>Questions not answered yet.</summary>
        public IReadOnlyList<ReplyQuestion> Pending => _pending;

        /// <summary>Called for each message from an awaited number that does not count (not one of the choices, or a reply to another message).</summary>
        public Action<SobotInboundMessage, string>? Ignored { get; set; }

        /// <summary>Called when the receiver could not be reached and the wait goes on retrying (e.g. during a restart).</summary>
        public Action<SobotReceiverException>? Retrying { get; set; }

        /// <summary>The next answer, or null when <paramref name="deadline"/> passes first (or nothing is pending).</summary>
        public async Task<ReplyMatch?> NextAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_matches.Count > 0) return _matches.Dequeue();
                if (_pending.Count == 0) return null;
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero) return null;
                SobotReceiverEventPage page;
                try
                {
                    page = await _client.GetEventsAsync(new ReceiverEventFilter { Type = "inbound", Since = _since }, _cursor,
                        SobotReceiverClient.MaximumPageSize, left, cancellationToken).ConfigureAwait(false);
                }
                catch (SobotReceiverException ex) when (ex.Transient)
                {
                    Retrying?.Invoke(ex);
                    var pause = left < RetryPause ? left : RetryPause;
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                _cursor = Math.Max(_cursor, page.Next);
                foreach (var e in page.Events)
                    if (e is SobotInboundMessage message) Match(message);
            }
        }

        private void Match(SobotInboundMessage message)
        {
            string from = Digits(message.From);
            var time = message.Timestamp ?? message.ReceivedAt ?? DateTimeOffset.UtcNow;
            ReplyQuestion? question;
            if (!string.IsNullOrEmpty(message.ReplyToMessageId))
            {
                question = _pending.FirstOrDefault(q => string.Equals(q.MessageId, message.ReplyToMessageId, StringComparison.Ordinal));
                if (question is null)
                {
                    if (_pending.Any(q => Digits(q.CustomerNumber) == from))
                        Ignored?.Invoke(message, $"it answers another message ({message.ReplyToMessageId})");
                    return;
                }
            }
            else
            {
                question = _pending.FirstOrDefault(q => Digits(q.CustomerNumber) == from && After(message, time, q.SentAt));
                if (question is null) return;
            }
            string answer = (message.ButtonText ?? message.Text ?? string.Empty).Trim();
            if (_choices != null && !_choices.Contains(answer))
            {
                Ignored?.Invoke(message, $"'{answer}' is not one of {string.Join(", ", _choices)}");
                return;
            }
            _pending.Remove(question);
            _matches.Enqueue(new ReplyMatch(question, message));
        }

        /// <summary>
        /// Whether a message came after a send. WhatsApp's timestamps are whole seconds: within the send's own
        /// second, the receiver's arrival time (milliseconds) decides, so a message stored just before the send
        /// is not taken for its answer.
        /// </summary>
        private static bool After(SobotInboundMessage message, DateTimeOffset time, DateTimeOffset sentAt)
        {
            long at = time.ToUnixTimeSeconds(), sent = sentAt.ToUnixTimeSeconds();
            return at > sent || (at == sent && (message.ReceivedAt is null || message.ReceivedAt >= sentAt));
        }

        private static string Digits(string? number) => new string((number ?? string.Empty).Where(char.IsDigit).ToArray());
    }
}
