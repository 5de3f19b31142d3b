using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Http;
using Sobot.Client.Models.Requests;
using Sobot.Client.Models.Responses;

namespace Sobot.Client.Bulk
{
    public sealed class BulkSendOptions
    {
        /// <summary>Requests in flight at once.</summary>
        public int ThrottleLimit { get; set; } = 32;
        public int? MaximumRetryCount { get; set; }
        /// <summary>A cap for this run only, on top of the connection's pacing.</summary>
        public double? MaxMessagesPerSecond { get; set; }
        public SendJournal? Journal { get; set; }
        /// <summary>Send rows an earlier run left unknown (may double them).</summary>
        public bool RetryUnknown { get; set; }
        /// <summary>Send rows an earlier run saw refused for good (e.g. 400) again.</summary>
        public bool RetryFailed { get; set; }
    }

    public enum BulkOutcomeKind
    {
        Sent,
        Failed,
        /// <summary>May or may not have been delivered: not retried, and not resent by a re-run without -RetryUnknown.</summary>
        Unknown,
        /// <summary>Sent by an earlier run of the same journal.</summary>
        Skipped,
    }

    /// <summary>What became of one row.</summary>
    public sealed class BulkOutcome
    {
        internal BulkOutcome(SendMessageRequest request, object? state, BulkOutcomeKind kind, MessageResponse? response, Exception? error, string? previousMessageId)
        {
            Request = request;
            State = state;
            Kind = kind;
            Response = response;
            Error = error;
            PreviousMessageId = previousMessageId;
            CompletedAt = DateTimeOffset.Now;
        }

        public SendMessageRequest Request { get; }
        public object? State { get; }
        public BulkOutcomeKind Kind { get; }
        public MessageResponse? Response { get; }
        public Exception? Error { get; }
        /// <summary>For Skipped: the message id the earlier run got.</summary>
        public string? PreviousMessageId { get; }
        public DateTimeOffset CompletedAt { get; }
    }

    /// <summary>
    /// Sends many messages concurrently (at most ThrottleLimit in flight), paced by the client, keeping the
    /// input order of messages to the same number, journaling each row when a journal is given. Rows are
    /// added from one thread; outcomes are taken as they complete. Nothing holds the whole input: a row's
    /// memory is released once its outcome is taken.
    /// </summary>
    public sealed class BulkSender : IDisposable
    {
        private readonly SobotClient _client;
        private readonly BulkSendOptions _options;
        private readonly CancellationTokenSource _cancel;
        private readonly SemaphoreSlim _slots;
        private readonly AdaptivePacer? _runCap;
        private readonly RowKeys? _keys;
        private readonly ConcurrentQueue<BulkOutcome> _outcomes = new ConcurrentQueue<BulkOutcome>();
        private readonly SemaphoreSlim _outcomeSignal = new SemaphoreSlim(0);
        private readonly Dictionary<string, Task> _tails = new Dictionary<string, Task>(StringComparer.Ordinal);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _outstanding;
        private long _sent, _failed, _unknown, _skipped;

        public BulkSender(SobotClient client, BulkSendOptions options, CancellationToken cancellationToken)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.ThrottleLimit < 1) throw new ArgumentOutOfRangeException(nameof(options), "ThrottleLimit must be at least 1.");
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _slots = new SemaphoreSlim(options.ThrottleLimit);
            _runCap = options.MaxMessagesPerSecond is double cap ? new AdaptivePacer(cap) : null;
            _keys = options.Journal != null ? new RowKeys() : null;
        }

        /// <summary>Rows added whose outcome has not been taken yet.</summary>
        public int Outstanding => Volatile.Read(ref _outstanding);

        /// <summary>How many rows may wait beyond those in flight before <see cref="HasRoom"/> says no.</summary>
        public bool HasRoom => Outstanding < _options.ThrottleLimit * 2;

        /// <summary>Set when the keys were rejected (401): every later row would fail too, so nothing more is sent.</summary>
        public SobotApiException? Fatal { get; private set; }

        public long Sent => Interlocked.Read(ref _sent);
        public long Failed => Interlocked.Read(ref _failed);
        public long Unknown => Interlocked.Read(ref _unknown);
        public long Skipped => Interlocked.Read(ref _skipped);
        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>Messages sent per second since the run started.</summary>
        public double Rate => _clock.Elapsed.TotalSeconds > 0 ? Sent / _clock.Elapsed.TotalSeconds : 0;

        /// <summary>Schedules one validated request. Returns at once; the outcome comes through <see cref="TryTake"/>.</summary>
        public void Add(SendMessageRequest request, object? state)
        {
            if (Fatal != null) throw Fatal;
            string body = SobotJson.Serialize(request);
            string? key = _keys?.Next(body);
            Interlocked.Increment(ref _outstanding);

            if (key != null && _options.Journal!.Previous.TryGetValue(key, out var earlier) && Resolved(request, state, key, earlier)) return;

            string number = request.CustomerNumber;
            Task previous;
            lock (_tails) previous = _tails.TryGetValue(number, out var tail) ? tail : Task.CompletedTask;
            // Messages to one number go one after another, in input order; different numbers run in parallel.
            var task = previous.ContinueWith(_ => RunAsync(request, state, body, key), CancellationToken.None,
                TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();
            lock (_tails) _tails[number] = task;
            task.ContinueWith(t =>
            {
                lock (_tails)
                    if (_tails.TryGetValue(number, out var current) && current == t) _tails.Remove(number);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>A row an earlier run already settled: skip it, or report it, unless asked to send it again.</summary>
        private bool Resolved(SendMessageRequest request, object? state, string key, JournalEntry earlier)
        {
            switch (earlier.State)
            {
                case JournalState.Sent:
                    Complete(new BulkOutcome(request, state, BulkOutcomeKind.Skipped, null, null, earlier.MessageId));
                    return true;
                case JournalState.Failed when !earlier.Retryable && !_options.RetryFailed:
                    Complete(new BulkOutcome(request, state, BulkOutcomeKind.Failed, null,
                        new InvalidOperationException($"An earlier run of this journal could not send this row: {earlier.Error} It was not sent again; fix the row, or pass -RetryFailed."), null));
                    return true;
                case JournalState.Pending:
                case JournalState.Unknown:
                    if (_options.RetryUnknown) return false;
                    if (earlier.State == JournalState.Pending)
                        _options.Journal!.RecordUnknown(key, request.CustomerNumber, "Left pending by an interrupted run.");
                    Complete(new BulkOutcome(request, state, BulkOutcomeKind.Unknown, null,
                        new InvalidOperationException($"An earlier run of this journal may or may not have delivered this row ({earlier.Error ?? "interrupted while sending"}). It was not sent again, so it cannot be doubled; check with the customer, or pass -RetryUnknown to send it anyway."), null));
                    return true;
                default:
                    return false;
            }
        }

        private async Task RunAsync(SendMessageRequest request, object? state, string body, string? key)
        {
            var token = _cancel.Token;
            bool holding = false;
            try
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
                holding = true;
                token.ThrowIfCancellationRequested();
                if (_runCap != null) await _runCap.WaitAsync(token).ConfigureAwait(false);
                var journal = _options.Journal;
                if (journal != null) await journal.RecordPendingAsync(key!, request.CustomerNumber).ConfigureAwait(false);
                try
                {
                    var response = await _client.SendMessageBodyAsync(body, _options.MaximumRetryCount, token).ConfigureAwait(false);
                    journal?.RecordSent(key!, request.CustomerNumber, response.Data!.Id!);
                    Complete(new BulkOutcome(request, state, BulkOutcomeKind.Sent, response, null, null));
                }
                catch (SobotApiException ex)
                {
                    if (ex.Kind == SobotErrorKind.Unauthorized)
                    {
                        Fatal ??= ex;
                        _cancel.Cancel();
                    }
                    bool unknown = ex.OutcomeUnknown;
                    if (journal != null)
                    {
                        if (unknown) journal.RecordUnknown(key!, request.CustomerNumber, ex.Message);
                        else journal.RecordFailed(key!, request.CustomerNumber, ex.Message, ex.Retryable);
                    }
                    Complete(new BulkOutcome(request, state, unknown ? BulkOutcomeKind.Unknown : BulkOutcomeKind.Failed, null, ex, null));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped (Ctrl+C or 401): a row already journaled as pending stays pending, so a re-run reports it unknown.
                Interlocked.Decrement(ref _outstanding);
                _outcomeSignal.Release();
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is ObjectDisposedException)
            {
                // The journal could not record the row as pending: it was not sent.
                Complete(new BulkOutcome(request, state, BulkOutcomeKind.Failed, null, ex, null));
            }
            finally
            {
                if (holding) _slots.Release();
            }
        }

        private void Complete(BulkOutcome outcome)
        {
            switch (outcome.Kind)
            {
                case BulkOutcomeKind.Sent: Interlocked.Increment(ref _sent); break;
                case BulkOutcomeKind.Failed: Interlocked.Increment(ref _failed); break;
                case BulkOutcomeKind.Unknown: Interlocked.Increment(ref _unknown); break;
                default: Interlocked.Increment(ref _skipped); break;
            }
            _outcomes.Enqueue(outcome);
            _outcomeSignal.Release();
        }

        /// <summary>Takes one finished row, if any; its slot in <see cref="Outstanding"/> is freed.</summary>
        public bool TryTake(out BulkOutcome outcome)
        {
            if (_outcomes.TryDequeue(out outcome!))
            {
                Interlocked.Decrement(ref _outstanding);
                return true;
            }
            return false;
        }

        /// <summary>Waits until an outcome may be ready, the timeout passes, or the run is cancelled.</summary>
        public void Wait(TimeSpan timeout)
        {
            if (!_outcomes.IsEmpty) return;
            try { _outcomeSignal.Wait(timeout, _cancel.Token); }
            catch (OperationCanceledException) { }
        }

        public void Cancel() => _cancel.Cancel();

        public void Dispose()
        {
            _cancel.Cancel();
            _keys?.Dispose();
        }
    }
}
