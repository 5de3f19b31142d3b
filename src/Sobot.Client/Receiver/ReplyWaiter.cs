using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Validation;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// Waits for customers' answers through the receiver's store, so a wait survives a receiver restart and never
    /// misses an answer that arrived between the send and the start of the wait. It never rescans the store: one
    /// lookup of the answers already there (inbound, its numbers, since the earliest question), then long polls
    /// from the store's head with its number filter.
    /// <para>
    /// Which question a message answers: a message that quotes one (WhatsApp's context) answers only that
    /// question, and only when it comes from the number the question went to. A message without context answers
    /// the newest pending question to its number sent before the message arrived. A message stored before a
    /// question was sent never answers it, whatever its timestamp says, and its effective time must not be before
    /// the question's send second. Numbers are compared by <see cref="PhoneNumberNormalizer.Canonical"/>. With
    /// choices, only a text or button that is one of them counts; others are reported through <see cref="Ignored"/>.
    /// </para>
    /// </summary>
    public sealed class ReplyWaiter : ReceiverWait
    {
        private readonly List<Awaited> _pending;
        private readonly string[] _numbers;
        private readonly HashSet<string>? _choices;
        private readonly Queue<ReplyMatch> _matches = new Queue<ReplyMatch>();
        private readonly DateTimeOffset _since;
        private Phase _phase = Phase.LookUp;
        private long _after;
        private long? _head;
        // A receiver that predates "head" also takes only one customerNumber: then the filter is left to this side.
        private bool _olderReceiver;

        public ReplyWaiter(SobotReceiverClient client, IEnumerable<ReplyQuestion> questions, IEnumerable<string>? choices = null) : base(client)
        {
            // Stable: questions sent in the same instant keep their order, the later one being the newer.
            _pending = questions.Select((q, i) => new Awaited(q, PhoneNumberNormalizer.CanonicalKey(q.CustomerNumber), i)).OrderBy(a => a.Question.SentAt).ThenBy(a => a.Order).ToList();
            _numbers = _pending.Select(a => a.Number).Distinct(StringComparer.Ordinal).ToArray();
            var list = choices?.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToList();
            _choices = list is { Count: > 0 } ? new HashSet<string>(list, StringComparer.OrdinalIgnoreCase) : null;
            // WhatsApp's timestamps are whole seconds: look from the second before the earliest send.
            var earliest = _pending.Count > 0 ? _pending[0].Question.SentAt : DateTimeOffset.UtcNow;
            _since = DateTimeOffset.FromUnixTimeSeconds(earliest.ToUnixTimeSeconds() - 1);
        }

        private enum Phase
        {
            LookUp,
            Head,
            Listen,
        }

        /// <summary>Questions not answered yet, oldest first.</summary>
        public IReadOnlyList<ReplyQuestion> Pending => _pending.Select(a => a.Question).ToList();

        /// <summary>Called for each message from an awaited number that does not count, with why (another message quoted, not one of the choices, sent before the question).</summary>
        public Action<SobotInboundMessage, string>? Ignored { get; set; }

        /// <summary>The next answer, or null when <paramref name="deadline"/> passes first (or nothing is pending).
        /// A receiver that cannot be reached when the deadline passes ends it with <see cref="SobotReceiverUnavailableException"/>.</summary>
        public async Task<ReplyMatch?> NextAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_matches.Count > 0) return _matches.Dequeue();
                if (_pending.Count == 0) return null;
                var left = Left(deadline);
                if (left <= TimeSpan.Zero && !TakeLastLook()) return null;
                switch (_phase)
                {
                    case Phase.LookUp:
                        await LookUpAsync(deadline, cancellationToken).ConfigureAwait(false);
                        break;
                    case Phase.Head:
                        // An older receiver: its head from its health, then the lookup goes on from where it was, so
                        // nothing committed in between is missed.
                        var health = await HealthAsync(deadline, cancellationToken).ConfigureAwait(false);
                        if (health is null) break;
                        _head = health.LastSeq;
                        _phase = Phase.LookUp;
                        break;
                    default:
                        var page = await AttemptAsync(t => Client.GetEventsAsync(Filter(null), _after, SobotReceiverClient.MaximumPageSize, left, t), deadline, cancellationToken)
                            .ConfigureAwait(false);
                        if (page is null) break;
                        _after = Advance(_after, page);
                        See(page);
                        break;
                }
            }
        }

        /// <summary>One page of the lookup of answers already stored; the last one moves on to listening from the head.</summary>
        private async Task LookUpAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            var page = await AttemptAsync(t => Client.GetEventsAsync(Filter(_since), _after, SobotReceiverClient.MaximumPageSize, TimeSpan.Zero, t), deadline, cancellationToken)
                .ConfigureAwait(false);
            if (page is null) return;
            if (_head is null && !_olderReceiver)
            {
                if (page.Head is long head)
                {
                    _head = head;
                }
                else
                {
                    _olderReceiver = true;
                    _phase = Phase.Head;
                    // With several numbers its filter matched nothing: look again, from the start, without it.
                    if (_numbers.Length > 1) return;
                }
            }
            See(page);
            _after = Math.Max(_after, page.Next);
            if (_phase == Phase.LookUp && page.Events.Count < SobotReceiverClient.MaximumPageSize)
            {
                _after = Math.Max(_after, _head ?? 0);
                _phase = Phase.Listen;
            }
        }

        private ReceiverEventFilter Filter(DateTimeOffset? since) => new ReceiverEventFilter
        {
            Type = "inbound",
            CustomerNumbers = _olderReceiver && _numbers.Length > 1 ? null : _numbers,
            Since = since,
        };

        private void See(SobotReceiverEventPage page)
        {
            foreach (var e in page.Events)
                if (e is SobotInboundMessage message) Match(message);
        }

        private void Match(SobotInboundMessage message)
        {
            string? from = PhoneNumberNormalizer.Canonical(message.From);
            if (from is null || !_pending.Any(a => a.Number == from)) return;
            var arrived = message.ReceivedAt ?? DateTimeOffset.UtcNow;
            var written = message.EffectiveAt ?? message.Timestamp ?? arrived;
            bool After(Awaited a) => arrived >= a.Question.SentAt && written.ToUnixTimeSeconds() >= a.Question.SentAt.ToUnixTimeSeconds();

            Awaited? answered = string.IsNullOrEmpty(message.ReplyToMessageId) ? null
                : _pending.FirstOrDefault(a => string.Equals(a.Question.MessageId, message.ReplyToMessageId, StringComparison.Ordinal));
            if (answered != null)
            {
                if (answered.Number != from)
                {
                    Ignored?.Invoke(message, $"it quotes the question sent to {answered.Number}, but comes from {from}");
                    return;
                }
                if (!After(answered))
                {
                    Ignored?.Invoke(message, "it was stored before the question it quotes was sent");
                    return;
                }
            }
            else
            {
                // A message that quotes something else can still answer a question whose id is not known (a wait
                // given only a number): nothing says it is not that one.
                bool quotes = !string.IsNullOrEmpty(message.ReplyToMessageId);
                answered = _pending.LastOrDefault(a => a.Number == from && After(a) && !(quotes && a.Question.MessageId != null));
                if (answered is null)
                {
                    Ignored?.Invoke(message, quotes ? $"it answers another message ({message.ReplyToMessageId})" : "it was written before the question was sent");
                    return;
                }
            }
            string answer = (message.ButtonText ?? message.Text ?? string.Empty).Trim();
            if (_choices != null && !_choices.Contains(answer))
            {
                Ignored?.Invoke(message, $"'{answer}' is not one of {string.Join(", ", _choices)}");
                return;
            }
            _pending.Remove(answered);
            _matches.Enqueue(new ReplyMatch(answered.Question, message));
        }

        private sealed class Awaited
        {
            public Awaited(ReplyQuestion question, string number, int order)
            {
                Question = question;
                Number = number;
                Order = order;
            }

            public ReplyQuestion Question { get; }
            public string Number { get; }
            public int Order { get; }
        }
    }
}
