using System;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// What the waits share: calls to the receiver that ride out an outage (a restart, a store that cannot answer
    /// for a moment) by asking again, and an outage still going on when the wait ends is its outcome
    /// (<see cref="SobotReceiverUnavailableException"/>), never taken for "nothing came". A long poll the receiver
    /// turns away (429: as many polls wait on it as it allows) is neither: the wait asks again after the receiver's
    /// Retry-After (never past its deadline), and at the deadline reads once more without waiting, which is never
    /// turned away, so nothing that arrived meanwhile is missed.
    /// </summary>
    public abstract class ReceiverWait
    {
        private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);
        private ReceiverOutage? _outage;
        private bool _busy, _lastLookOwed;

        protected ReceiverWait(SobotReceiverClient client)
        {
            Client = client ?? throw new ArgumentNullException(nameof(client));
        }

        protected SobotReceiverClient Client { get; }

        /// <summary>The outage going on (the receiver has not answered since when, and why), or null while it answers. Safe to read from another thread.</summary>
        public ReceiverOutage? Outage => Volatile.Read(ref _outage);

        /// <summary>Called when the receiver stops answering; the wait goes on asking.</summary>
        public Action<SobotReceiverException>? Unreachable { get; set; }

        /// <summary>Called when it answers again, with how long it did not.</summary>
        public Action<TimeSpan>? Reachable { get; set; }

        /// <summary>Called when the receiver starts turning the wait's long polls away (429), with how long the wait pauses before asking again.</summary>
        public Action<TimeSpan>? Busy { get; set; }

        /// <summary>
        /// One call. Null when the receiver could not be reached or its store could not answer: the outage is noted and
        /// the caller asks again after a short pause. Anything else (a refused key, a bad answer) is thrown.
        /// </summary>
        protected async Task<T?> AttemptAsync<T>(Func<CancellationToken, Task<T>> call, DateTimeOffset deadline, CancellationToken cancellationToken) where T : class
        {
            T result;
            var started = DateTimeOffset.UtcNow;
            try
            {
                result = await call(cancellationToken).ConfigureAwait(false);
            }
            catch (SobotReceiverBusyException busy)
            {
                // An answer, so whatever outage was noted is over; and the read owed at the deadline makes up for this poll.
                Answered();
                _lastLookOwed = true;
                var left = deadline - DateTimeOffset.UtcNow;
                var pause = busy.RetryAfter < left ? busy.RetryAfter : left > TimeSpan.Zero ? left : TimeSpan.Zero;
                if (!_busy) Busy?.Invoke(pause);
                _busy = true;
                if (pause > TimeSpan.Zero) await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (SobotReceiverException ex) when (ex.Transient)
            {
                var now = DateTimeOffset.UtcNow;
                var before = Outage;
                // A call that timed out has not been answered since it was made; one refused, since now.
                var since = before?.Since ?? (ex.InnerException is OperationCanceledException ? started : now);
                Volatile.Write(ref _outage, new ReceiverOutage(since, ex));
                _busy = false;
                if (before is null) Unreachable?.Invoke(ex);
                var left = deadline - now;
                if (left > TimeSpan.Zero) await Task.Delay(left < RetryPause ? left : RetryPause, cancellationToken).ConfigureAwait(false);
                return null;
            }
            Answered();
            _busy = _lastLookOwed = false;
            return result;
        }

        private void Answered()
        {
            var ended = Interlocked.Exchange(ref _outage, null);
            if (ended != null) Reachable?.Invoke(DateTimeOffset.UtcNow - ended.Since);
        }

        /// <summary>
        /// At the deadline: true once when the wait's last long poll was turned away (429), for one more read without a
        /// wait (never turned away), so that what arrived while the wait was kept out is still found.
        /// </summary>
        protected bool TakeLastLook()
        {
            bool owed = _lastLookOwed;
            _lastLookOwed = false;
            return owed;
        }

        /// <summary>The receiver's health, its newest seq in particular; a store that cannot answer counts as an outage (null).</summary>
        protected Task<ReceiverHealth?> HealthAsync(DateTimeOffset deadline, CancellationToken cancellationToken) =>
            AttemptAsync(async t =>
            {
                var health = await Client.GetHealthAsync(t).ConfigureAwait(false);
                return health.StoreReachable ? health
                    : throw new SobotReceiverException(503, "The webhook receiver's store is not reachable.", null, new Uri(Client.ShownUri, "healthz"), "its store is not reachable");
            }, deadline, cancellationToken);

        /// <summary>
        /// The cursor after a long-poll page: past its events, and, when the page was not full, up to the head the
        /// receiver had before it read (every matching event at or below it was in the page), so the next poll
        /// starts near the store's end even when nothing matched for a long time.
        /// </summary>
        protected static long Advance(long cursor, SobotReceiverEventPage page)
        {
            cursor = Math.Max(cursor, page.Next);
            return page.Events.Count < SobotReceiverClient.MaximumPageSize && page.Head is long head ? Math.Max(cursor, head) : cursor;
        }

        /// <summary>At the deadline: when the receiver is not answering, that is how the wait ends.</summary>
        protected void ThrowIfUnreachable()
        {
            if (Outage is { } outage)
                throw new SobotReceiverUnavailableException(outage.LastError, outage.Since, DateTimeOffset.UtcNow - outage.Since);
        }

        /// <summary>The time left before <paramref name="deadline"/>; at or past it, an outage going on is thrown.</summary>
        protected TimeSpan Left(DateTimeOffset deadline)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) ThrowIfUnreachable();
            return left;
        }
    }
}
