using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Http
{
    /// <summary>
    /// Spaces requests to what the account allows, learned from 429 answers. With no 429 seen it lets
    /// everything through. A 429 sets the rate just under the number of requests the server accepted in the
    /// last second (its real limit, whatever it is: 80 messages per second for a new WhatsApp number, up to
    /// 1,000 later); then every quiet second the rate climbs 2%, so a raised limit is found again.
    /// An optional hard cap (MaxMessagesPerSecond) is never exceeded. Shared by every call of one client.
    /// </summary>
    public sealed class AdaptivePacer
    {
        private const double Window = 1.0;
        private const double DecreaseFactor = 0.95;
        private const double IncreaseFactor = 1.02;
        private readonly object _gate = new object();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Queue<double> _accepted = new Queue<double>();
        private double? _learned;
        private double _nextSlot;
        private double _lastDecrease = double.NegativeInfinity;
        private double _lastIncrease;

        public AdaptivePacer(double? maxPerSecond = null)
        {
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
            double delay;
            lock (_gate)
            {
                var rate = Effective();
                if (rate is null) return Task.CompletedTask;
                double now = _clock.Elapsed.TotalSeconds;
                double slot = Math.Max(now, _nextSlot);
                _nextSlot = slot + 1.0 / rate.Value;
                delay = slot - now;
            }
            return delay < 0.001 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(delay), cancellationToken);
        }

        /// <summary>The server processed a request (any answer but 429/503).</summary>
        public void OnAccepted()
        {
            lock (_gate)
            {
                double now = _clock.Elapsed.TotalSeconds;
                _accepted.Enqueue(now);
                Trim(now);
                if (_learned is double rate && now - _lastIncrease >= Window && now - _lastDecrease >= Window)
                {
                    _learned = rate * IncreaseFactor + 0.1;
                    _lastIncrease = now;
                }
            }
        }

        /// <summary>The server answered 429: slow down to just under what it accepted in the last second.</summary>
        public void OnRateLimited()
        {
            lock (_gate)
            {
                double now = _clock.Elapsed.TotalSeconds;
                Trim(now);
                if (now - _lastDecrease < Window) return; // one decrease per second, however many 429s are in flight
                double accepted = _accepted.Count;
                double target = accepted > 0 ? accepted * DecreaseFactor : (_learned ?? 2) / 2;
                if (_learned is double previous) target = Math.Min(target, previous * DecreaseFactor);
                _learned = Math.Max(0.5, target);
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
        }
    }
}
