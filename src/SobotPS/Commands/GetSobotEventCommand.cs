using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Sobot.Client.Receiver;
using Sobot.Client.Webhooks;

namespace SobotPS.Commands
{
    /// <summary>The kinds of stored webhook events.</summary>
    public enum SobotEventType
    {
        Inbound,
        Status,
        Unknown,
    }

    /// <summary>
    /// Webhook events from the receiver's store, oldest first, as typed objects (SobotInboundMessage,
    /// SobotMessageStatus, SobotUnknownWebhookEvent), paged under the hood. With -Wait it goes on returning
    /// new events as they arrive, until -TimeoutSec or Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotEvent")]
    [OutputType(typeof(SobotInboundMessage), typeof(SobotMessageStatus), typeof(SobotUnknownWebhookEvent))]
    public sealed class GetSobotEventCommand : ReceiverCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        /// <summary>Events whose own timestamp is at or after this time.</summary>
        [Parameter]
        public DateTimeOffset Since { get; set; }

        /// <summary>Events of these customers (as people type them; the connection's -DefaultRegion applies), up to 1,000.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "From")]
        [ValidateCount(1, SobotReceiverClient.MaximumPageSize)]
        public string[]? CustomerNumber { get; set; }

        [Parameter]
        public SobotEventType Type { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? MessageId { get; set; }

        /// <summary>Only events after this cursor (an event's Seq).</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long After { get; set; }

        /// <summary>After the stored events, wait for new ones and return them as they arrive.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: stop waiting after this many seconds (0: until Ctrl+C).</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; }

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            var numbers = new List<string>();
            foreach (var typed in CustomerNumber ?? Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(typed)) continue;
                if (CustomerKey(typed, typed) is string key) numbers.Add(key);
                else return;
            }
            var filter = new ReceiverEventFilter
            {
                Type = MyInvocation.BoundParameters.ContainsKey(nameof(Type)) ? Type.ToString().ToLowerInvariant() : null,
                CustomerNumbers = numbers.Count > 0 ? numbers.Distinct(StringComparer.Ordinal).ToList() : null,
                MessageId = string.IsNullOrWhiteSpace(MessageId) ? null : MessageId!.Trim(),
                Since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since : (DateTimeOffset?)null,
            };
            var deadline = Deadline(TimeoutSec);
            long cursor = After;
            bool busy = false;
            try
            {
                while (true)
                {
                    var left = deadline - DateTimeOffset.UtcNow;
                    var wait = Wait && left > TimeSpan.Zero ? left : TimeSpan.Zero;
                    SobotReceiverEventPage page;
                    try
                    {
                        page = Call(token => receiver.GetEventsAsync(filter, cursor, SobotReceiverClient.MaximumPageSize, wait, token));
                    }
                    catch (SobotReceiverBusyException ex)
                    {
                        // Turned away (429): pause as asked, never past the deadline; the read after it, at the
                        // deadline, has no wait and is never turned away.
                        var pause = ex.RetryAfter < left ? ex.RetryAfter : left;
                        if (!busy) WriteVerbose(BusyNote(pause));
                        busy = true;
                        Call(token => Task.Delay(pause, token));
                        continue;
                    }
                    busy = false;
                    foreach (var e in page.Events) WriteObject(e);
                    cursor = Math.Max(cursor, page.Next);
                    if (page.Events.Count == 0 && (!Wait || DateTimeOffset.UtcNow >= deadline)) return;
                }
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, (object?)CustomerNumber ?? MessageId);
            }
        }
    }
}
