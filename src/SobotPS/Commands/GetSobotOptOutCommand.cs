using System.Management.Automation;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>
    /// The numbers that asked not to be messaged (STOP), kept by the webhook receiver; Send-Sobot* skips them. The
    /// whole list, once read, is also kept on disk for sends while the receiver is down.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotOptOut")]
    [OutputType(typeof(ReceiverOptOut))]
    public sealed class GetSobotOptOutCommand : OptOutCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        /// <summary>Only this number (wildcards are not supported; a number not on the list returns nothing).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "Number")]
        public string? CustomerNumber { get; set; }

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            try
            {
                if (!string.IsNullOrWhiteSpace(CustomerNumber))
                {
                    if (!(Key(CustomerNumber!) is string number)) return;
                    var one = Call(token => receiver.GetOptOutAsync(number, token));
                    if (one != null) WriteObject(one);
                    return;
                }
                var all = Call(token => receiver.GetOptOutsAsync(token));
                Keep(all);
                foreach (var o in all) WriteObject(o);
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, CustomerNumber);
            }
        }
    }
}
