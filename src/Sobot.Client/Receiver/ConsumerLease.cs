using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// One reader's hold on a consumer: taken before reading, renewed in the background while the reader works
    /// (every third of its time to live), given back when disposed. The holder id is new for each lease, so two
    /// runs of the same script on one machine are two readers.
    /// </summary>
    public sealed class ConsumerLease : IDisposable
    {
        /// <summary>How long a lease lives without renewal: a reader that died frees the consumer after this.</summary>
        public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(60);
        private static readonly TimeSpan CallTimeLimit = TimeSpan.FromSeconds(5);
        private readonly SobotReceiverClient _client;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Task? _renewing;
        private bool _taken;

        public ConsumerLease(SobotReceiverClient client, string consumer, string? description = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            Consumer = consumer;
            Holder = Guid.NewGuid().ToString("N");
            Description = description ?? DescribeThisProcess();
        }

        public string Consumer { get; }

        /// <summary>The opaque id the receiver knows this reader by.</summary>
        public string Holder { get; }

        /// <summary>Who reads, for the message a second reader gets: <c>user@host pid N</c>.</summary>
        public string Description { get; }

        /// <summary>
        /// Takes the lease and starts renewing it; the consumer as the receiver answered (its position included). Another
        /// reader's live lease is a <see cref="SobotConsumerBusyException"/>. Null from a receiver too old to keep leases
        /// (then nothing is renewed or released).
        /// </summary>
        public async Task<ReceiverConsumer?> TakeAsync(CancellationToken cancellationToken)
        {
            // Counted as taken from the moment it is asked for: a request cut off by Ctrl+C may still have taken it,
            // and giving back a lease one does not hold changes nothing.
            _taken = true;
            var consumer = await _client.LeaseConsumerAsync(Consumer, Holder, Description, TimeToLive, cancellationToken).ConfigureAwait(false);
            if (consumer is null)
            {
                _taken = false;
                return null;
            }
            _renewing = Task.Run(() => RenewAsync(_stop.Token));
            return consumer;
        }

        private async Task RenewAsync(CancellationToken stop)
        {
            var every = TimeSpan.FromTicks(TimeToLive.Ticks / 3);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(every, stop).ConfigureAwait(false);
                    // Not cancelled by the stop: a renewal cut off on the wire could still land after the release and
                    // hold the consumer for a whole time to live. The release waits for it instead.
                    using var limit = new CancellationTokenSource(CallTimeLimit);
                    await _client.LeaseConsumerAsync(Consumer, Holder, Description, TimeToLive, limit.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SobotConsumerBusyException)
                {
                    // Lost (it ran out while the receiver was unreachable, and another reader took it): moving the
                    // cursor will be refused, so this reader's messages are handed out again (at least once).
                    return;
                }
                catch (Exception ex) when (ex is SobotReceiverException || ex is OperationCanceledException)
                {
                    // Unreachable for now: the next round tries again; the lease outlives two missed renewals.
                }
            }
        }

        /// <summary>Stops renewing and gives the lease back (within a few seconds; a lease not given back ends by itself).</summary>
        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            try
            {
                _renewing?.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }
            if (_taken)
            {
                using var limit = new CancellationTokenSource(CallTimeLimit);
                try
                {
                    Task.Run(() => _client.ReleaseConsumerAsync(Consumer, Holder, limit.Token)).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is SobotReceiverException || ex is OperationCanceledException)
                {
                    // It ends by itself at its time to live.
                }
            }
            _stop.Dispose();
        }

        /// <summary><c>user@host pid N</c> for this process.</summary>
        public static string DescribeThisProcess()
        {
            using var process = Process.GetCurrentProcess();
            return $"{Environment.UserName}@{Environment.MachineName} pid {process.Id}";
        }
    }
}
