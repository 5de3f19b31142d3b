using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Http;
using Sobot.Client.Models.Requests;
using Sobot.Client.PreSend;

namespace Sobot.Client.Bulk
{
    /// <summary>
    /// Sends many messages concurrently (as many in flight as <see cref="AdaptiveConcurrency"/> allows, never more than
    /// ThrottleLimit when one is set), paced by the client, keeping the
    /// input order of messages to the same number, journaling each row when a journal is given. Rows are
    /// added from one thread; outcomes are taken as they complete. Nothing holds the whole input: a row's
    /// memory is released once its outcome is taken.
    /// Every row that comes in (<see cref="Add"/>, <see cref="Refuse"/>, <see cref="Skip"/>) ends in exactly one
    /// outcome, so Sent + Failed + Skipped + Unknown always equals Total once the run has settled.
    /// Stopping (Ctrl+C through the token, rejected keys, a journal that cannot be written) ends the start of
    /// new requests at once and gives those on the wire <see cref="BulkSendOptions.StopGrace"/> to answer.
    /// </summary>
    public sealed class BulkSender : IDisposable
    {
        private readonly SobotClient _client;
        private readonly BulkSendOptions _options;
        private readonly CancellationTokenSource _stopStarting = new CancellationTokenSource();
        private readonly CancellationTokenSource _abort = new CancellationTokenSource();
        private readonly CancellationTokenRegistration _stopRegistration;
        private readonly AdaptiveConcurrency _slots;
        private readonly AdaptivePacer? _runCap;
        private readonly RowKeys _bodyKeys = new RowKeys();
        private readonly RowKeys? _rowKeys;
        private readonly ConcurrentQueue<BulkOutcome> _outcomes = new ConcurrentQueue<BulkOutcome>();
        private readonly SemaphoreSlim _outcomeSignal = new SemaphoreSlim(0);
        private readonly Dictionary<string, Task> _tails = new Dictionary<string, Task>(StringComparer.Ordinal);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ManualResetEventSlim _idle = new ManualResetEventSlim(true);
        private int _outstanding;
        private int _active;
        private long _total, _sent, _failed, _unknown, _skipped, _duplicates;
        private Exception? _fatal;
        private int _disposed;

        public BulkSender(SobotClient client, BulkSendOptions options, CancellationToken cancellationToken)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.ThrottleLimit < 1) throw new ArgumentOutOfRangeException(nameof(options), "ThrottleLimit must be at least 1.");
            _runCap = options.MaxMessagesPerSecond is double cap ? new AdaptivePacer(cap) : null;
            _slots = new AdaptiveConcurrency(client.Pacer, options.ThrottleLimit, _runCap);
            _rowKeys = options.Journal != null ? new RowKeys() : null;
            _stopRegistration = cancellationToken.Register(() => Stop(null));
        }

        /// <summary>Rows added whose outcome has not been taken yet.</summary>
        public int Outstanding => Volatile.Read(ref _outstanding);

        /// <summary>
        /// True while fewer than twice the current concurrency limit (at least <see cref="MinimumReadAhead"/>) rows
        /// wait for their outcome to be taken: the caller reads more input only then, so few rows beyond those in
        /// flight are held, and rows wait for a place whenever the limit is what holds the run back (so it grows).
        /// </summary>
        public bool HasRoom => Outstanding < Math.Max(MinimumReadAhead, _slots.Limit * 2);

        private const int MinimumReadAhead = 32;

        /// <summary>The most requests this run had going at once: on the wire, or holding their place while they wait their turn at the pacer or a retry.</summary>
        public int PeakConcurrency => _slots.Peak;

        /// <summary>How the run was paced, in one line: the rate and where it came from, the latency, the requests in flight.</summary>
        public string PacingReport
        {
            get
            {
                var pacer = _client.Pacer;
                string rate = pacer.LearnedRate is double learned
                    ? string.Format(CultureInfo.InvariantCulture, "{0:0.#} msg/s learned from 429 answers", learned)
                    : "no 429 answer";
                if (pacer.Cap is double cap) rate += string.Format(CultureInfo.InvariantCulture, ", connection cap {0:0.##} msg/s", cap);
                if (_options.MaxMessagesPerSecond is double own) rate += string.Format(CultureInfo.InvariantCulture, ", run cap {0:0.##} msg/s", own);
                string latency = pacer.Latency is double seconds ? string.Format(CultureInfo.InvariantCulture, "{0:0} ms", seconds * 1000) : "none measured";
                string hardCap = _options.ThrottleLimit is int hard ? string.Format(CultureInfo.InvariantCulture, " (-ThrottleLimit {0})", hard) : string.Empty;
                return string.Format(CultureInfo.InvariantCulture, "Pacing: {0}; latency {1}; at most {2} request(s) at once in flight or waiting their turn{3}.",
                    rate, latency, _slots.Peak, hardCap);
            }
        }

        /// <summary>
        /// Why the run stopped on its own: the keys were rejected (a <see cref="SobotApiException"/>), or the
        /// journal could not be written (a <see cref="JournalUnusableException"/>). Nothing more is sent.
        /// </summary>
        public Exception? Fatal
        {
            get
            {
                // A record written without waiting (an outcome) may fail after the row's turn: notice it here.
                if (Volatile.Read(ref _fatal) is null && _options.Journal?.Failure is Exception broken)
                    Stop(new JournalUnusableException($"Writing the journal '{_options.Journal.Path}' failed: {broken.Message}", broken));
                return Volatile.Read(ref _fatal);
            }
        }

        /// <summary>
        /// Waits until the journal has every record of this run on disk; a journal that failed (now or during
        /// the run) becomes <see cref="Fatal"/>. Call when the input has ended and every outcome was taken.
        /// </summary>
        public void FlushJournal()
        {
            var journal = _options.Journal;
            if (journal is null) return;
            try
            {
                journal.Flush();
            }
            catch (JournalUnusableException ex)
            {
                Stop(ex);
            }
        }

        /// <summary>True once the run was stopped: by the caller's token, by <see cref="Fatal"/>, or by <see cref="Dispose"/>.</summary>
        public bool Stopped => _stopStarting.IsCancellationRequested;

        /// <summary>True when <see cref="Add"/> wants the input row's text (a journal names rows by it).</summary>
        public bool WantsRowText => _rowKeys != null;

        public long Total => Interlocked.Read(ref _total);
        public long Sent => Interlocked.Read(ref _sent);
        public long Failed => Interlocked.Read(ref _failed);
        public long Unknown => Interlocked.Read(ref _unknown);
        public long Skipped => Interlocked.Read(ref _skipped);
        public long Duplicates => Interlocked.Read(ref _duplicates);
        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>Messages sent per second since the run started.</summary>
        public double Rate => _clock.Elapsed.TotalSeconds > 0 ? Sent / _clock.Elapsed.TotalSeconds : 0;

        public SendSummary Summary() =>
            new SendSummary(Total, Sent, Failed, Skipped, Unknown, Duplicates, Elapsed, _options.Journal?.Path);

        /// <summary>
        /// Schedules one validated request. Returns at once; the outcome comes through <see cref="TryTake"/>.
        /// <paramref name="rowText"/> describes the input row (its values) so the journal can tell when a row
        /// refused earlier was fixed and sent.
        /// </summary>
        public void Add(SendMessageRequest request, object? state, string? rowText = null)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            string? rowId = CountAndNameRow(rowText);
            if (Stopped)
            {
                NotSent(request, state, null, null, null);
                return;
            }
            string body = SobotJson.Serialize(request);
            // Without a journal no key is needed, only the count of identical rows (Duplicates).
            string? key = _options.Journal != null ? _bodyKeys.Next(body) : null;
            int occurrence = key != null ? RowKeys.Occurrence(key) : _bodyKeys.NextOccurrence(body);
            if (occurrence > 1)
            {
                Interlocked.Increment(ref _duplicates);
                if (_options.SkipDuplicates)
                {
                    Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Skipped, null, null, skipReason: BulkSkipReason.Duplicate));
                    return;
                }
            }
            var journal = _options.Journal;
            if (journal != null && journal.Previous.TryGetValue(key!, out var earlier) && SettledByEarlierRun(request, state, key!, earlier)) return;

            string number = request.CustomerNumber;
            if (Interlocked.Increment(ref _active) == 1) _idle.Reset();
            Task previous;
            lock (_tails) previous = _tails.TryGetValue(number, out var tail) ? tail : Task.CompletedTask;
            // Messages to one number go one after another, in input order; different numbers run in parallel.
            var task = previous.ContinueWith(_ => RunAsync(request, state, body, key, rowId), CancellationToken.None,
                TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();
            lock (_tails) _tails[number] = task;
            task.ContinueWith(t =>
            {
                lock (_tails)
                    if (_tails.TryGetValue(number, out var current) && current == t) _tails.Remove(number);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>
        /// Asks the run's pre-send step about a built request. A row that must not go (an opted-out number, a closed
        /// window without a fallback) is counted and journaled here, as skipped or failed, and its outcome comes
        /// through <see cref="TryTake"/>; an admitted row is for the caller to <see cref="Add"/> (its
        /// <see cref="PreSendDecision.Request"/>, which may be the fallback template).
        /// </summary>
        public async Task<PreSendDecision> ScreenAsync(SendMessageRequest request, object? state, string? rowText = null,
            IReadOnlyList<string?>? fallbackBodyParameters = null, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var step = _options.PreSend;
            if (step is null) return PreSendDecision.Send(request, null);
            var decision = await step.CheckAsync(request, fallbackBodyParameters, cancellationToken).ConfigureAwait(false);
            if (decision.Verdict == PreSendVerdict.Skip) Skip(request, state, BulkSkipReason.OptedOut, decision.Error, rowText);
            else if (decision.Verdict == PreSendVerdict.Refuse) Refuse(request.CustomerNumber, state, decision.Error!, rowText);
            return decision;
        }

        /// <summary>
        /// A row refused before anything could be sent: invalid input, the pre-send step's refusal (a closed window
        /// without a fallback), or a row that came in after the run stopped. A failed row, journaled as such when the
        /// journal names rows (<paramref name="rowText"/> given).
        /// </summary>
        public void Refuse(string? customerNumber, object? state, Exception error, string? rowText = null)
        {
            if (error is null) throw new ArgumentNullException(nameof(error));
            string? rowId = CountAndNameRow(rowText);
            if (rowId != null) Journal(j => j.RecordRefused(rowId, customerNumber, error.Message));
            Complete(new BulkOutcome(null, customerNumber, state, BulkOutcomeKind.Failed, null, error));
        }

        /// <summary>
        /// A row not sent on purpose: counted as skipped. -WhatIf rows are not journaled; an opted-out row is
        /// (as skipped, with <paramref name="why"/>), so the journal accounts for it and a later run decides again.
        /// </summary>
        public void Skip(SendMessageRequest request, object? state, BulkSkipReason reason, Exception? why = null, string? rowText = null)
        {
            string? rowId = CountAndNameRow(rowText);
            if (reason == BulkSkipReason.OptedOut && _options.Journal != null)
            {
                string key = _bodyKeys.Next(SobotJson.Serialize(request));
                Journal(j => j.RecordSkipped(key, request.CustomerNumber, why?.Message ?? "Opted out.", rowId));
            }
            Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Skipped, null, why, skipReason: reason));
        }

        /// <summary>Counts a row that came in (every one ends in exactly one outcome) and names it for the journal.</summary>
        private string? CountAndNameRow(string? rowText)
        {
            Interlocked.Increment(ref _total);
            Interlocked.Increment(ref _outstanding);
            return rowText != null ? _rowKeys?.Next(rowText) : null;
        }

        /// <summary>A row an earlier run already settled: skip it, or report it, unless asked to send it again.</summary>
        private bool SettledByEarlierRun(SendMessageRequest request, object? state, string key, JournalEntry earlier)
        {
            switch (earlier.State)
            {
                case JournalState.Sent:
                    Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Skipped, null, null, earlier.MessageId, BulkSkipReason.SentEarlier));
                    return true;
                case JournalState.Failed when !earlier.Retryable && !_options.RetryFailed:
                    Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Failed, null,
                        new EarlierRunException(earlier.State, $"An earlier run of this journal could not send this row: {earlier.Error} It was not sent again.")));
                    return true;
                case JournalState.Pending:
                case JournalState.Unknown:
                    if (_options.RetryUnknown) return false;
                    if (earlier.State == JournalState.Pending)
                        Journal(j => j.RecordUnknown(key, request.CustomerNumber, "Left pending by an interrupted run."));
                    Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Unknown, null,
                        new EarlierRunException(earlier.State, $"An earlier run of this journal may or may not have delivered this row ({earlier.Error ?? "interrupted while sending"}). It was not sent again, so it cannot arrive twice.")));
                    return true;
                default:
                    return false;
            }
        }

        private async Task RunAsync(SendMessageRequest request, object? state, string body, string? key, string? rowId)
        {
            var stop = _stopStarting.Token;
            bool holding = false, onTheWire = false;
            var journal = _options.Journal;
            try
            {
                await _slots.WaitAsync(stop).ConfigureAwait(false);
                holding = true;
                stop.ThrowIfCancellationRequested();
                if (_runCap != null) await _runCap.WaitAsync(stop).ConfigureAwait(false);
                if (journal != null)
                {
                    try
                    {
                        await journal.RecordPendingAsync(key!, request.CustomerNumber, rowId).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is JournalUnusableException || ex is ObjectDisposedException || ex is System.IO.IOException)
                    {
                        var failure = ex as JournalUnusableException ?? new JournalUnusableException("Writing the journal failed: " + ex.Message, ex);
                        Stop(failure);
                        Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Failed, null,
                            new RowNotSentException("Not sent: the journal could not record the row before sending (" + failure.Message + ").", failure)));
                        return;
                    }
                }
                onTheWire = true;
                var response = await _client.SendMessageBodyAsync(body, _options.MaximumRetryCount, stop, _abort.Token).ConfigureAwait(false);
                // Sent for certain: a journal that cannot record it now stops the run, but the row stays sent (the
                // journal keeps it pending, so a re-run reports it unknown and never sends it again).
                Journal(j => j.RecordSent(key!, request.CustomerNumber, response.Data!.Id!));
                Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Sent, response, null));
            }
            catch (StoppedBeforeSendingException)
            {
                NotSent(request, state, key, rowId, journal);
            }
            catch (OperationCanceledException ex) when (onTheWire)
            {
                const string why = "The run was stopped while this request was on the wire; Sobot may or may not have processed it.";
                Journal(j => j.RecordUnknown(key!, request.CustomerNumber, why));
                Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Unknown, null, new RowNotSentException(why, ex)));
            }
            catch (OperationCanceledException)
            {
                NotSent(request, state, key, rowId, journal);
            }
            catch (SobotApiException ex)
            {
                if (ex.KeysRejected) Stop(ex);
                if (ex.OutcomeUnknown)
                {
                    Journal(j => j.RecordUnknown(key!, request.CustomerNumber, ex.Message));
                    Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Unknown, null, ex));
                }
                else
                {
                    Journal(j => j.RecordFailed(key!, request.CustomerNumber, ex.Message, ex.NotProcessed));
                    Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Failed, null, ex));
                }
            }
            finally
            {
                if (holding) _slots.Release();
                if (Interlocked.Decrement(ref _active) == 0) _idle.Set();
            }
        }

        /// <summary>A row the run stopped before sending: failed, and journaled as retryable so a re-run sends it.</summary>
        private void NotSent(SendMessageRequest request, object? state, string? key, string? rowId, SendJournal? journal)
        {
            string why = Fatal is SobotApiException keys
                ? $"Not sent: the keys were rejected earlier in this run (HTTP {keys.StatusCode}). Connect with a valid key pair and run the same command again; a journal sends exactly the rows that did not go out."
                : Fatal is JournalUnusableException
                    ? "Not sent: the journal could not be written, so the run stopped before this row."
                    : "Not sent: the run was stopped before this row went out.";
            if (key != null && journal != null) Journal(j => j.RecordFailed(key, request.CustomerNumber, why, retryable: true, rowId));
            Complete(new BulkOutcome(request, null, state, BulkOutcomeKind.Failed, null, new RowNotSentException(why, Fatal)));
        }

        /// <summary>Writes a non-durable record; a journal that fails stops the run (once), without changing the row's outcome.</summary>
        private void Journal(Action<SendJournal> write)
        {
            var journal = _options.Journal;
            if (journal is null) return;
            try
            {
                write(journal);
            }
            catch (Exception ex) when (ex is JournalUnusableException || ex is ObjectDisposedException || ex is System.IO.IOException)
            {
                Stop(ex as JournalUnusableException ?? new JournalUnusableException("Writing the journal failed: " + ex.Message, ex));
            }
        }

        /// <summary>Stops starting requests; those on the wire get the grace, then are aborted.</summary>
        private void Stop(Exception? fatal)
        {
            if (fatal != null) Interlocked.CompareExchange(ref _fatal, fatal, null);
            if (Volatile.Read(ref _disposed) != 0) return;
            try
            {
                if (!_stopStarting.IsCancellationRequested)
                {
                    _stopStarting.Cancel();
                    _abort.CancelAfter(_options.StopGrace);
                }
            }
            catch (ObjectDisposedException)
            {
            }
            _outcomeSignal.Release();
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

        /// <summary>Waits until an outcome may be ready or the timeout passes.</summary>
        public void Wait(TimeSpan timeout)
        {
            if (!_outcomes.IsEmpty) return;
            _outcomeSignal.Wait(timeout);
        }

        /// <summary>Stops the run and waits (bounded by the grace) until every request on the wire has an outcome.</summary>
        public void Dispose()
        {
            Stop(null);
            _idle.Wait(_options.StopGrace + TimeSpan.FromSeconds(5));
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _stopRegistration.Dispose();
            _bodyKeys.Dispose();
            _rowKeys?.Dispose();
        }
    }
}
