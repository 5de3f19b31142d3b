using System.Management.Automation;
using Sobot.Client.Receiver;
using Sobot.Client.Webhooks;

namespace SobotPS.Commands
{
    /// <summary>
    /// The latest status of sent messages (sent, delivered, read or failed) as the webhook receiver knows it.
    /// Statuses only move forward: a late "sent" never replaces "read".
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotMessageStatus")]
    [OutputType(typeof(SobotMessageStatus))]
    public sealed class GetSobotMessageStatusCommand : ReceiverCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        /// <summary>The wamid (bound from Send-Sobot* results and journal records).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "wamid")]
        [AllowNull, AllowEmptyString]
        public string? MessageId { get; set; }

        protected override void ProcessRecord()
        {
            if (string.IsNullOrWhiteSpace(MessageId))
            {
                WriteError(new ErrorRecord(new System.ArgumentException("This row has no message id (it was never sent), so it has no status."),
                    SobotErrorIds.InvalidInput, ErrorCategory.InvalidArgument, MessageId));
                return;
            }
            var receiver = ResolveReceiver();
            try
            {
                var status = Call(token => receiver.GetStatusAsync(MessageId!, token));
                if (status is null)
                    WriteError(new ErrorRecord(new ItemNotFoundException($"The receiver has no status for message {MessageId} yet."),
                        SobotErrorIds.NotFound, ErrorCategory.ObjectNotFound, MessageId));
                else
                    WriteObject(status);
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, MessageId);
            }
        }
    }
}
