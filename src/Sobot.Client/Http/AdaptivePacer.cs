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
    /// up to 1,000 later). From then on it is additive increase, multiplicative decrease: every quiet second
    /// adds a fixed step, every second with a 429 takes 5% off. That is what lets two runs sharing one
    /// account's limit converge to equal shares (a proportional increase would keep their first ratio), and a
    /// run whose requests were all refused in the last second never collapses to a crawl: it falls back to
    /// half of what it attempted. An optional hard cap (MaxMessagesPerSecond) is never exceeded. Shared by
    /// every call of one client.
    /// </summary>
    public sealed class AdaptivePacer
    {
        private const double Window = 1.0;
        private const double DecreaseFactor = 0.95;
        /// <summary>Requests per second added per quiet second.</summary>
        private const double IncreaseStep = 2.0;
        private const double MinimumRate = 1.0;
        private readonly object _gate = new object();
        private readonly Func<double> _now;
        private readonly Queue<double> _accepted = new Queue<double>();
        private readonly Queue<double> _attempted = new Queue<double>();
        private double? _learned;
        private double _nextSlot;
        private double _lastDecrease = double.NegativeInfinity;
        private double _lastIncrease;

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

        /// <summary>Waits for the next free slot (returns at once when unlimited).</summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            double delay = Reserve();
            return delay < 0.001 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(delay), cancellationToken);
        }

        /// <summary>Takes the next slot; returns the seconds to wait for it.</summary>
        internal double Reserve()
        {
            lock (_gate)
            {
                double now = _now();
                var rate = Effective();
                double slot = rate is null ? now : Math.Max(now, _nextSlot);
                if (rate != null) _nextSlot = slot + 1.0 / rate.Value;
                _attempted.Enqueue(slot);
                Trim(now);
                return slot - now;
            }
        }

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
                    _learned = Math.Min(rate + IncreaseStep, Math.Max(rate, _accepted.Count * 1.25 + IncreaseStep));
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
                    target = previous * DecreaseFactor;
                else if (_accepted.Count > 0)
                    target = _accepted.Count * DecreaseFactor;
                else
                    target = _attempted.Count / 2.0; // every request of the last second refused: another run holds the limit
                _learned = Math.Max(MinimumRate, target);
                _lastDecrease = now;
                _lastIncrease = now;
                _nextSlot = Math.Max(_nextSlot, now);
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
