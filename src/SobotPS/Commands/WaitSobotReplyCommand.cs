using System;
using System.Collections.Generic;
using System.Management.Automation;
using Sobot.Client.Receiver;
using Sobot.Client.Webhooks;

namespace SobotPS.Commands
{
    /// <summary>
    /// Waits for customers to answer messages that were sent: takes the results of Send-Sobot* from the
    /// pipeline (or -CustomerNumber and -Since) and returns each answer, the customer's inbound message with
    /// the question's MessageId attached, as it arrives through the webhook receiver.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "SobotReply", DefaultParameterSetName = "Pipeline")]
    [OutputType(typeof(SobotInboundMessage))]
    public sealed class WaitSobotReplyCommand : ReceiverCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        private readonly List<ReplyQuestion> _questions = new List<ReplyQuestion>();

        /// <summary>The number the question went to (bound from the send result).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "Number")]
        [ValidateNotNullOrEmpty]
        public string CustomerNumber { get; set; } = string.Empty;

        /// <summary>The question's message id (bound from the send result): an answer that quotes another message does not count.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? MessageId { get; set; }

        /// <summary>When the question was sent; answers before it do not count. Bound from SubmittedAt; now when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SubmittedAt")]
        public DateTimeOffset Since { get; set; }

        /// <summary>The whole pipeline object, kept as the error target and on the answer (Question).</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Only these texts or button titles count as answers (case-insensitive); others are ignored and shown with -Verbose.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Choice { get; set; }

        /// <summary>End as soon as this many of the questions are answered (ask several people, go on with whoever answers first).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        /// <summary>How long to wait, in seconds; then one SobotReplyTimeout error per unanswered question. 0 waits until answered or Ctrl+C.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; } = 600;

        protected override void ProcessRecord()
        {
            object target = PipelineTarget(InputObject, CustomerNumber);
            if (CustomerKey(CustomerNumber, target) is not string number) return;
            var since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since : DateTimeOffset.UtcNow;
            _questions.Add(new ReplyQuestion(number, since, string.IsNullOrWhiteSpace(MessageId) ? null : MessageId!.Trim(), target));
        }

        protected override void EndProcessing()
        {
            if (_questions.Count == 0) return;
            var receiver = ResolveReceiver();
            var waiter = new ReplyWaiter(receiver, _questions, Choice);
            waiter.Ignored = (message, why) => Notes.Enqueue($"Ignored a message from {message.From} ({message.MessageId}): {why}.");
            Watch(waiter);
            var deadline = Deadline(TimeoutSec);
            int answered = 0;
            var outage = Drain(waiter, token => waiter.NextAsync(deadline, token), match =>
            {
                answered++;
                WriteObject(Output(match.Reply, match.Question.MessageId, match.Question.State));
                return First == 0 || answered < First;
            }, "Waiting for replies", () => $"{_questions.Count - answered} of {_questions.Count} question(s) unanswered", deadline, out bool failed);
            if (failed || (First > 0 && answered >= First)) return;
            foreach (var q in waiter.Pending)
            {
                string about = q.MessageId is null ? string.Empty : $" to message {q.MessageId}";
                if (outage != null)
                    WriteReceiverError(outage, q.State, $"Could not wait for a reply from {q.CustomerNumber}{about}: {outage.Message}");
                else
                    WriteError(new ErrorRecord(new TimeoutException($"No reply from {q.CustomerNumber}{about} within {TimeoutSec} s."),
                        SobotErrorIds.ReplyTimeout, ErrorCategory.OperationTimeout, q.State));
            }
        }
    }
}
