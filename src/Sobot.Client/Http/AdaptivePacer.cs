using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Http
{
    /// <summary>
    /// Spaces requests to what the account allows, learned from 429 answers. With no 429 seen it lets
    /// everything through. The first 429 sets the rate just under the number of requests the server accepted
    /// in the last second (its real limit, whatever it is: 80 messages per second for a new WhatsApp number,
    /// up to 1,000 later), or, when nearly all were refused (another run holds the limit), half of what it
    /// attempted, so a run that starts behind another never collapses to a crawl. A first estimate taken from a
    /// burst the server allowed is corrected by a second 429 within two seconds to what that saturated second
    /// accepted. From then on it is additive increase, multiplicative decrease: every quiet second adds a step
    /// (4 a second, 2% of the rate above 200), every second with a 429 takes 15% off. That is what lets two runs
    /// sharing one account's limit converge to equal shares (a proportional increase would keep their first
    /// ratio). An optional hard cap (MaxMessagesPerSecond) is never exceeded, beyond making up 20 ms of a late
    /// timer. It also keeps the latency the server answers with and the requests waiting out a retry, which
    /// <see cref="AdaptiveConcurrency"/> turns into a number of requests in flight. Shared by every call of one
    /// client.
    /// </summary>
    public sealed class AdaptivePacer
    {
        private const double Window = 1.0;
        /// <summary>A first estimate (or its correction) is this much under what the server accepted.</summary>
        private const double EstimateFactor = 0.95;
        /// <summary>Each later second with a 429 takes the rate down by this factor.</summary>
        private const double DecreaseFactor = 0.85;
        /// <summary>Requests per second added per quiet second, at least.</summary>
        private const double IncreaseStep = 4.0;
        /// <summary>Above 200 a second, the step is this share of the rate, so a 1,000/s account climbs back within seconds.</summary>
        private const double IncreaseShare = 0.02;
        private const double MinimumRate = 1.0;
        /// <summary>Weight of a new latency sample in the smoothed latency (as TCP smooths its round-trip time).</summary>
        private const double LatencyWeight = 0.125;
        /// <summary>How much of a late timer's lost time may be made up at once, in seconds.</summary>
        private const double CatchUp = 0.02;
        private const double MaximumSleep = 0.25;
        private readonly object _gate = new object();
        private readonly Func<double> _now;
        private readonly Queue<double> _accepted = new Queue<double>();
        private readonly Queue<double> _attempted = new Queue<double>();
        private double? _learned;
        private double _lastSlot = double.NegativeInfinity;
        private readonly WaitQueue _waiters;
        private bool _dispatching;
        private double _lastDecrease = double.NegativeInfinity;
        private double _lastIncrease;
        private double _calibrateUntil = double.NegativeInfinity;
        private double? _latency;
        private int _waitingToRetry;

        public AdaptivePacer(double? maxPerSecond = null) : this(maxPerSecond, null)
        {
        }

        /// <summary><paramref name="clock"/> (seconds) replaces the stopwatch in simulations.</summary>
        internal AdaptivePacer(double? maxPerSecond, Func<double>? clock)
        {
            if (clock is null)
            {
                var watch = Stopwatch.StartNew();
                clock = () => watch.Elapsed.TotalSeconds;
            }
            _now = clock;
            _waiters = new WaitQueue(_gate);
            if (maxPerSecond is double cap && !(cap > 0)) throw new ArgumentOutOfRangeException(nameof(maxPerSecond), "The cap must be above 0.");
            Cap = maxPerSecond;
        }

        /// <summary>The user's hard cap in requests per second, or null.</summary>
        public double? Cap { get; }

        /// <summary>The rate learned from 429 answers, or null while none was seen.</summary>
        public double? LearnedRate
        {
            get { lock (_gate) return _learned; }
        }

        /// <summary>The rate requests are spaced at now; null when unlimited.</summary>
        public double? CurrentRate
        {
            get
            {
                lock (_gate) return Effective();
            }
        }

        /// <summary>The smoothed time the server takes to answer one request, in seconds; null before the first answer.</summary>
        public double? Latency
        {
            get { lock (_gate) return _latency; }
        }

        /// <summary>Requests waiting out a Retry-After or a backoff before they go again (each holds its place in a run).</summary>
        public int WaitingToRetry => Volatile.Read(ref _waitingToRetry);

        /// <summary>Counts a request into (true) or out of (false) <see cref="WaitingToRetry"/>.</summary>
        internal void OnRetryWait(bool starting)
        {
            if (starting) Interlocked.Increment(ref _waitingToRetry);
            else Interlocked.Decrement(ref _waitingToRetry);
        }

        /// <summary>How long the server took to answer one request (any answer: 2xx, 4xx, 429, 5xx).</summary>
        public void OnAnswered(TimeSpan elapsed)
        {
            double seconds = Math.Max(0, elapsed.TotalSeconds);
            lock (_gate) _latency = _latency is double smoothed ? smoothed + LatencyWeight * (seconds - smoothed) : seconds;
        }

        /// <summary>
        /// Waits for the next free slot (returns at once when unlimited or when one is free). Waiting requests are let
        /// go in order at the rate of the moment they go, not the rate of the moment they came: a place taken while
        /// the rate was low must not hold a request back once the rate has risen (it once kept a run that started
        /// behind another at 1 msg/s for 16 s).
        /// </summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            // A cancelled task, never a throw: callers turn a stop before sending into "not sent" when they await it.
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
            Task turn;
            bool startDispatch;
            lock (_gate)
            {
                if (_waiters.Count == 0 && TryTakeLocked(_now())) return Task.CompletedTask;
                turn = _waiters.Enqueue(cancellationToken);
                startDispatch = !_dispatching;
                _dispatching = true;
            }
            if (startDispatch) _ = Task.Run(DispatchAsync);
            return turn;
        }

        /// <summary>Takes a slot if one is free now (the simulations' form of <see cref="WaitAsync"/>).</summary>
        internal bool TryTake()
        {
            lock (_gate) return _waiters.Count == 0 && TryTakeLocked(_now());
        }

        /// <summary>Lets waiting requests go as their slots come, one timer at a time for all of them.</summary>
        private async Task DispatchAsync()
        {
            while (true)
            {
                List<TaskCompletionSource<bool>>? due = null;
                double wait;
                lock (_gate)
                {
                    double now = _now();
                    while (_waiters.Count > 0 && TryTakeLocked(now))
                    {
                        (due ??= new List<TaskCompletionSource<bool>>()).Add(_waiters.Dequeue());
                    }
                    if (_waiters.Count == 0)
                    {
                        _dispatching = false;
                        wait = -1;
                    }
                    else
                    {
                        // Re-read at least every 250 ms: the rate may rise while a slot is far off.
                        // Callers wait only when a rate is set, so there is one.
                        double next = Effective() is double rate ? NextSlot(now, rate) : now;
                        wait = Math.Min(MaximumSleep, Math.Max(0.001, next - now));
                    }
                }
                if (due != null) foreach (var w in due) w.TrySetResult(true);
                if (wait < 0) return;
                await Task.Delay(TimeSpan.FromSeconds(wait)).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// A slot is free when a gap of 1 / rate has passed since the last one. After a pause a few slots may be made up
        /// (<see cref="CatchUp"/>), as coarse timers wake late and would otherwise lose rate.
        /// </summary>
        private bool TryTakeLocked(double now)
        {
            if (Effective() is double rate)
            {
                double slot = NextSlot(now, rate);
                if (slot > now + 1e-9) return false;
                _lastSlot = slot;
            }
            _attempted.Enqueue(now);
            Trim(now);
            return true;
        }

        private double NextSlot(double now, double rate) =>
            double.IsNegativeInfinity(_lastSlot) ? now : Math.Max(_lastSlot + 1.0 / rate, now - CatchUp);

        /// <summary>The server processed a request (any answer but 429/503).</summary>
        public void OnAccepted()
        {
            lock (_gate)
            {
                double now = _now();
                _accepted.Enqueue(now);
                Trim(now);
                if (_learned is double rate && now - _lastIncrease >= Window && now - _lastDecrease >= Window)
                {
                    // Climb only while the run uses what it has: a run held back by its own concurrency must not
                    // build up a rate that a later 429 would take many seconds to bring down.
                    double step = Math.Max(IncreaseStep, rate * IncreaseShare);
                    _learned = Math.Min(rate + step, Math.Max(rate, _accepted.Count * 1.25 + step));
                    _lastIncrease = now;
                }
            }
        }

        /// <summary>The server answered 429: slow down to just under what it accepted in the last second.</summary>
        public void OnRateLimited()
        {
            lock (_gate)
            {
                double now = _now();
                Trim(now);
                if (now - _lastDecrease < Window) return; // one decrease per second, however many 429s are in flight
                double target;
                if (_learned is double previous)
                {
                    target = previous * DecreaseFactor;
                    // Still refused a second after the first estimate: the server's burst allowance is spent, and what it
                    // accepted in that second is its rate.
                    if (now <= _calibrateUntil && _accepted.Count > 0) target = Math.Min(target, _accepted.Count * EstimateFactor);
                    _calibrateUntil = double.NegativeInfinity;
                }
                else
                {
                    // Just under what was accepted in the last second; or, when nearly everything was refused (another run
                    // holds the limit), half of what was attempted, so a run that starts behind another does not crawl.
                    double fromAccepted = _accepted.Count * EstimateFactor;
                    target = Math.Max(fromAccepted, _attempted.Count / 2.0);
                    // Only an estimate taken from a burst is corrected; one taken behind another run is already low.
                    if (fromAccepted >= _attempted.Count / 2.0) _calibrateUntil = now + 2 * Window;
                }
                _learned = Math.Max(MinimumRate, target);
                _lastDecrease = now;
                _lastIncrease = now;
                if (!double.IsNegativeInfinity(_lastSlot)) _lastSlot = Math.Max(_lastSlot, now); // no catching up after a 429
            }
        }

        private double? Effective()
        {
            if (_learned is double learned) return Cap is double cap ? Math.Min(cap, learned) : learned;
            return Cap;
        }

        private void Trim(double now)
        {
            while (_accepted.Count > 0 && _accepted.Peek() < now - Window) _accepted.Dequeue();
            while (_attempted.Count > 0 && _attempted.Peek() < now - Window) _attempted.Dequeue();
        }
    }
}
