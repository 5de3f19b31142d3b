using System.Management.Automation;
using Sobot.Client.Receiver;
using Sobot.Client.Webhooks;
using SobotPS.Completers;

namespace SobotPS.Commands
{
    /// <summary>
    /// Inbound messages not yet handed to a named consumer, oldest first, each at least once: the consumer's
    /// cursor (kept by the receiver) moves only when the whole pipeline ran without a terminating error, so
    /// a job that dies halfway gets the same messages again next time. One reader per consumer at a time: the
    /// call holds the consumer's lease while it reads, and a second reader is refused (SobotConsumerBusy).
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "SobotMessage")]
    [OutputType(typeof(SobotInboundMessage))]
    public sealed class ReceiveSobotMessageCommand : ReceiverCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        private ConsumerLease? _lease;

        /// <summary>The consumer's name (1 to 100 of A-Z a-z 0-9 . _ -): each job keeps its own place.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(ConsumerNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Consumer { get; set; } = string.Empty;

        /// <summary>At most this many messages in one call (the rest come next time).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        protected override void EndProcessing()
        {
            var receiver = ResolveReceiver();
            var filter = new ReceiverEventFilter { Type = "inbound" };
            try
            {
                Guarded(Consumer, () =>
                {
                    var lease = _lease = new ConsumerLease(receiver, Consumer);
                    var taken = Call(token => lease.TakeAsync(token));
                    if (taken is null) WriteWarning($"The receiver keeps no leases (an older receiver): nothing stops a second Receive-SobotMessage -Consumer {Consumer} from reading the same messages at the same time. Update the receiver.");
                    long handed = (taken ?? Call(token => receiver.GetConsumerAsync(Consumer, token))).Position;
                    long start = handed;
                    int count = 0;
                    while (First == 0 || count < First)
                    {
                        long cursor = handed;
                        int limit = First == 0 ? SobotReceiverClient.MaximumPageSize : System.Math.Min(SobotReceiverClient.MaximumPageSize, First - count);
                        var page = Call(token => receiver.GetEventsAsync(filter, cursor, limit, System.TimeSpan.Zero, token));
                        if (page.Events.Count == 0) break;
                        foreach (var e in page.Events)
                        {
                            WriteObject(e);   // the pipeline handles it before the next one is written
                            handed = e.Seq ?? handed;
                            count++;
                        }
                        handed = System.Math.Max(handed, page.Next);
                    }
                    if (handed != start)
                    {
                        long position = handed;
                        Call(token => receiver.SetConsumerAsync(Consumer, position, lease.Holder, token));
                        WriteVerbose($"Consumer '{Consumer}': {count} message(s) handled; its cursor moved from {start} to {position}.");
                    }
                });
            }
            finally
            {
                ReleaseResources();
            }
        }

        /// <summary>Also after Ctrl+C or a failure downstream: the lease goes, so the next reader need not wait for it to end.</summary>
        protected override void ReleaseResources()
        {
            var lease = _lease;
            _lease = null;
            lease?.Dispose();
        }
    }
}
