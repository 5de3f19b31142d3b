using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Http
{
    /// <summary>
    /// How many requests one bulk run keeps going at once: what the pacing allows times the latency the server
    /// answers with (in flight = rate × latency), with headroom, never more than the hard cap. A request holds its
    /// place from before its pacing slot until its outcome, retries included.
    /// <list type="bullet">
    /// <item>Rate known (a cap, or learned from 429 answers): rate × latency × <see cref="Headroom"/>, plus the
    /// requests waiting out a Retry-After or a backoff, plus <see cref="Spare"/>. More would only queue at the pacer, where a
    /// place taken holds a slot at the rate of the moment: a long queue is what let one run starve another.</item>
    /// <item>No rate known yet: what the highest WhatsApp tier (<see cref="TopTierRate"/> a second per number) needs
    /// at the observed latency, and never less than <see cref="LowLatencyFloor"/>: no account can use more.</item>
    /// <item>Before that, it starts at <see cref="InitialLimit"/> and grows by one per completed request while rows
    /// wait for a place (doubling every round trip), so a small run or a slow input never opens more than it uses.</item>
    /// </list>
    /// </summary>
    public sealed class AdaptiveConcurrency
    {
        /// <summary>The most requests in flight without a hard cap: 1,000 msg/s at about 700 ms of latency.</summary>
        public const int DefaultMaximum = 1024;
        /// <summary>Where the growth starts.</summary>
        internal const int InitialLimit = 32;
        /// <summary>Messages per second of the highest WhatsApp tier for one number.</summary>
        internal const double TopTierRate = 1000;
        /// <summary>
        /// Room above rate × latency: latency varies from one request to the next, and a request holds its place a little
        /// longer than its time on the wire (its turn at the pacer, its outcome). With 1.2 and no 429 seen, a 1,000/s
        /// account at 150 ms got 890 msg/s; with 1.5, 1,030.
        /// </summary>
        internal const double Headroom = 1.5;
        /// <summary>Places on top, so a low rate or a low latency still keeps a few requests ready.</summary>
        internal const int Spare = 8;
        /// <summary>The least the limit is with no rate known (a low latency needs few in flight; more only adds 429s).</summary>
        internal const int LowLatencyFloor = 32;

        private readonly object _gate = new object();
        private readonly WaitQueue _waiters;
        private readonly AdaptivePacer _pacer;
        private readonly AdaptivePacer? _runCap;
        private int _inUse;
        private int _window = InitialLimit;
        private int _peak;

        /// <param name="pacer">The connection's pacing (its rate and the latency it has seen).</param>
        /// <param name="hardCap">The user's -ThrottleLimit: never more in flight; null for <see cref="DefaultMaximum"/>.</param>
        /// <param name="runCap">This run's own pacing cap, when it has one.</param>
        public AdaptiveConcurrency(AdaptivePacer pacer, int? hardCap, AdaptivePacer? runCap = null)
        {
            _pacer = pacer ?? throw new ArgumentNullException(nameof(pacer));
            _waiters = new WaitQueue(_gate);
            if (hardCap is int cap && cap < 1) throw new ArgumentOutOfRangeException(nameof(hardCap), "The limit must be at least 1.");
            HardCap = hardCap;
            _runCap = runCap;
        }

        /// <summary>The user's hard cap, or null.</summary>
        public int? HardCap { get; }

        /// <summary>Requests that may be in flight now.</summary>
        public int Limit
        {
            get { lock (_gate) return CurrentLimit(); }
        }

        /// <summary>Requests holding a place now.</summary>
        public int InUse
        {
            get { lock (_gate) return _inUse; }
        }

        /// <summary>The most requests that held a place at once.</summary>
        public int Peak
        {
            get { lock (_gate) return _peak; }
        }

        /// <summary>Waits for a place; <see cref="Release"/> gives it back.</summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
            lock (_gate)
            {
                if (_waiters.Count == 0 && _inUse < CurrentLimit())
                {
                    Take();
                    return Task.CompletedTask;
                }
                return _waiters.Enqueue(cancellationToken);
            }
        }

        /// <summary>Gives a place back and lets waiting requests in, as many as the limit now allows.</summary>
        public void Release()
        {
            List<TaskCompletionSource<bool>>? granted = null;
            lock (_gate)
            {
                if (_inUse <= 0) throw new InvalidOperationException("Released more places than were taken.");
                _inUse--;
                int ceiling = HardCap ?? DefaultMaximum;
                // Rows were waiting: the limit was what held the run back, so it may grow.
                if (_waiters.Count > 0 && _window < ceiling) _window++;
                int limit = CurrentLimit();
                while (_waiters.Count > 0 && _inUse < limit)
                {
                    var next = _waiters.Dequeue();
                    Take();
                    (granted ??= new List<TaskCompletionSource<bool>>()).Add(next);
                }
            }
            // Completed outside the lock; a waiter cancelled meanwhile was removed from the list under it, so each
            // granted one is still waiting.
            if (granted != null) foreach (var w in granted) w.TrySetResult(true);
        }

        private void Take()
        {
            _inUse++;
            if (_inUse > _peak) _peak = _inUse;
        }

        private int CurrentLimit()
        {
            int ceiling = HardCap ?? DefaultMaximum;
            double? rate = _pacer.CurrentRate;
            if (_runCap?.CurrentRate is double own) rate = rate is double shared ? Math.Min(shared, own) : own;
            int need = Need(rate, _pacer.Latency, _pacer.WaitingToRetry);
            return Math.Max(1, Math.Min(ceiling, Math.Min(_window, need)));
        }

        /// <summary>
        /// What a run needs in flight at <paramref name="rate"/> (null: not known) and <paramref name="latency"/> seconds,
        /// with <paramref name="waitingToRetry"/> requests holding their place while they wait out a retry.
        /// </summary>
        internal static int Need(double? rate, double? latency, int waitingToRetry)
        {
            if (latency is null) return InitialLimit;
            double need = rate is double r
                ? Math.Ceiling(r * latency.Value * Headroom) + waitingToRetry + Spare
                : Math.Max(LowLatencyFloor, Math.Ceiling(TopTierRate * latency.Value * Headroom));
            return (int)Math.Min(need, int.MaxValue / 2);
        }
    }
}
