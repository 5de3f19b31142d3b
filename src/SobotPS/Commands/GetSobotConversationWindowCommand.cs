using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>
    /// Whether a free-form message to a number would be accepted now: open for 24 hours after the customer's
    /// last message (by its own timestamp), as the webhook receiver knows it. Only templates go outside it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotConversationWindow")]
    [OutputType(typeof(ConversationWindow))]
    public sealed class GetSobotConversationWindowCommand : ReceiverCmdlet
    {
        private readonly List<string> _numbers = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "Number")]
        [ValidateNotNullOrEmpty]
        public string[] CustomerNumber { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            var connection = Connection ?? SobotSession.Current;
            foreach (var typed in CustomerNumber)
            {
                if (connection is null || !connection.IsOpen) ResolveReceiver(); // terminating: says how to connect
                try
                {
                    _numbers.Add(connection!.CustomerKey(typed));
                }
                catch (Sobot.Client.SobotValidationException ex)
                {
                    WriteError(SobotErrors.FromValidation(ex, typed));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_numbers.Count == 0) return;
            var receiver = ResolveReceiver();
            try
            {
                var last = Call(token => receiver.GetLastInboundAsync(_numbers.Distinct().ToList(), token))
                    .GroupBy(l => Sobot.Client.Validation.PhoneNumberNormalizer.CanonicalKey(l.CustomerNumber), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
                var now = DateTimeOffset.UtcNow;
                foreach (var number in _numbers)
                {
                    WriteObject(ConversationWindow.Compute(number, last.TryGetValue(number, out var l) ? l : null, now));
                }
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, null);
            }
        }
    }
}
