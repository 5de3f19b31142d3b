using System;
using System.Collections.Generic;
using System.Management.Automation;
using Sobot.Client.Receiver;
using Sobot.Client.Webhooks;

namespace SobotPS.Commands
{
    /// <summary>The status a sent message must reach.</summary>
    public enum SobotDeliveryStage
    {
        Sent,
        Delivered,
        Read,
    }

    /// <summary>
    /// Waits until sent messages are sent, delivered or read (statuses only move forward, whatever order
    /// they arrive in), through the webhook receiver. Returns each message's latest status; a message
    /// WhatsApp reports failed is an error with its reason, one that does not get there in time another.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "SobotDelivery")]
    [OutputType(typeof(SobotMessageStatus))]
    public sealed class WaitSobotDeliveryCommand : ReceiverCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        private readonly List<KeyValuePair<string, object?>> _messages = new List<KeyValuePair<string, object?>>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "wamid")]
        [ValidateNotNullOrEmpty]
        public string MessageId { get; set; } = string.Empty;

        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>The status to wait for: Sent, Delivered (the default) or Read. A later status counts too.</summary>
        [Parameter]
        public SobotDeliveryStage Until { get; set; } = SobotDeliveryStage.Delivered;

        /// <summary>How long to wait, in seconds; then one SobotDeliveryTimeout error per message. 0 waits until reached or Ctrl+C.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; } = 600;

        protected override void ProcessRecord() =>
            _messages.Add(new KeyValuePair<string, object?>(MessageId.Trim(), PipelineTarget(InputObject, MessageId)));

        protected override void EndProcessing()
        {
            if (_messages.Count == 0) return;
            var waiter = new DeliveryWaiter(ResolveReceiver(), _messages, Until.ToString());
            Watch(waiter);
            var deadline = Deadline(TimeoutSec);
            int done = 0;
            string stage = Until.ToString().ToLowerInvariant();
            var outage = Drain(waiter, token => waiter.NextAsync(deadline, token), outcome =>
            {
                done++;
                if (!outcome.Failed)
                {
                    WriteObject(outcome.Status);
                    return true;
                }
                string reason = outcome.Status.ErrorCode is int code ? $"{code} {outcome.Status.ErrorTitle}".Trim() : outcome.Status.ErrorTitle ?? "no reason given";
                WriteError(new ErrorRecord(new InvalidOperationException($"WhatsApp reports message {outcome.MessageId} failed: {reason}."),
                    SobotErrorIds.DeliveryFailed, ErrorCategory.InvalidResult, outcome.State));
                return true;
            }, "Waiting for deliveries", () => $"{_messages.Count - done} of {_messages.Count} message(s) not {stage} yet", deadline, out bool failed);
            if (failed) return;
            foreach (var id in waiter.Pending)
            {
                if (outage != null)
                    WriteReceiverError(outage, waiter.StateOf(id), $"Could not wait for message {id} to be {stage}: {outage.Message}");
                else
                    WriteError(new ErrorRecord(new TimeoutException($"Message {id} was not {stage} within {TimeoutSec} s."),
                        SobotErrorIds.DeliveryTimeout, ErrorCategory.OperationTimeout, waiter.StateOf(id)));
            }
        }
    }
}
