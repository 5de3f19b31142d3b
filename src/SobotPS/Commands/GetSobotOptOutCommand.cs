using System.Management.Automation;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>The numbers that asked not to be messaged (STOP), kept by the webhook receiver; Send-Sobot* skips them.</summary>
    [Cmdlet(VerbsCommon.Get, "SobotOptOut")]
    [OutputType(typeof(ReceiverOptOut))]
    public sealed class GetSobotOptOutCommand : ReceiverCmdlet
    {
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
                    var one = Call(token => receiver.GetOptOutAsync(OptOutNumber.Of(CustomerNumber!), token));
                    if (one != null) WriteObject(one);
                    return;
                }
                foreach (var o in Call(token => receiver.GetOptOutsAsync(token))) WriteObject(o);
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, CustomerNumber);
            }
        }
    }
}
