using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Receiver;

namespace SobotPS
{
    /// <summary>
    /// What Add-, Remove- and Get-SobotOptOut share: numbers read as the connection reads them (its default region,
    /// then the one rule for keys), and the whole list kept on disk whenever it is read, so sends can still skip
    /// these numbers while the receiver is down.
    /// </summary>
    public abstract class OptOutCmdlet : ReceiverCmdlet
    {
        private bool _changed;

        /// <summary>The connection whose receiver ResolveReceiver returned.</summary>
        protected SobotConnection ReceiverConnection => (Connection ?? SobotSession.Current)!;

        /// <summary>The number as the list keys it, or null after writing an InvalidCustomerNumber error for it.</summary>
        protected string? Key(string typed)
        {
            try
            {
                return ReceiverConnection.CustomerKey(typed);
            }
            catch (SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, typed));
                return null;
            }
        }

        /// <summary>A change went through: the list kept on disk is refreshed once, at the end.</summary>
        protected void Changed() => _changed = true;

        /// <summary>Keeps a whole list just read from the receiver on disk.</summary>
        protected void Keep(System.Collections.Generic.IEnumerable<ReceiverOptOut> optOuts)
        {
            if (ReceiverConnection.KeepOptOuts(optOuts) is { } problem)
                WriteWarning($"Could not keep the opt-out list on disk ({problem.Message.TrimEnd('.')}); while the receiver is down, sends use an older copy or none.");
        }

        protected override void EndProcessing()
        {
            if (!_changed) return;
            var receiver = ResolveReceiver();
            try
            {
                Keep(Call(receiver.GetOptOutsAsync));
            }
            catch (SobotReceiverException ex)
            {
                WriteVerbose("The changed opt-out list could not be read back to keep on disk: " + ex.Message);
            }
        }
    }
}
