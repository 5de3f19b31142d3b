using System.Management.Automation;
using Sobot.Client;

namespace SobotPS.Commands
{
    /// <summary>
    /// Whether Sobot accepts the connection's keys now ($true / $false); with -Detailed, Sobot and the webhook
    /// receiver each on its own. A receiver that is down does not make the answer $false: sends still go out.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "SobotConnection", DefaultParameterSetName = "Quiet")]
    [OutputType(typeof(bool), ParameterSetName = new[] { "Quiet" })]
    [OutputType(typeof(SobotConnectionTest), ParameterSetName = new[] { "Detailed" })]
    public sealed class TestSobotConnectionCommand : SobotCmdlet
    {
        /// <summary>Returns an object that reports Sobot and the receiver separately, with each one's error.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Detailed")]
        public SwitchParameter Detailed { get; set; }

        protected override void EndProcessing()
        {
            var connection = Connection ?? SobotSession.Current;
            if (connection is null || !connection.IsOpen)
            {
                const string why = "Not connected to Sobot.";
                WriteVerbose(why);
                WriteObject(Detailed ? new SobotConnectionTest(connection?.BaseUri, false, why, connection?.ReceiverUri, null, null, null) : (object)false);
                return;
            }
            string? sobotError = null;
            try
            {
                Call(token => connection.Client.VerifyCredentialsAsync(token));
            }
            catch (SobotException ex)
            {
                sobotError = ex.Message;
                WriteVerbose(ex.Message);
            }

            bool? receiverOk = null;
            string? receiverError = null;
            if (connection.Receiver is { } receiver)
            {
                try
                {
                    // The key check reads the whole opt-out list, which is then kept for sends while the receiver is down.
                    var optOuts = Call(token => receiver.GetOptOutsAsync(token));
                    connection.NoteReceiver(null);
                    if (connection.KeepOptOuts(optOuts) is { } disk) WriteVerbose("Could not keep the opt-out list on disk: " + disk.Message);
                    receiverOk = true;
                }
                catch (SobotException ex)
                {
                    connection.NoteReceiver(ex);
                    receiverOk = false;
                    receiverError = ex.Message;
                }
            }

            if (Detailed)
            {
                var kept = connection.Receiver is null ? null : connection.OptOutCache?.Load(connection.Receiver.QueryUri);
                WriteObject(new SobotConnectionTest(connection.BaseUri, sobotError is null, sobotError, connection.ReceiverUri, receiverOk, receiverError, kept?.ReadAt));
                return;
            }
            if (receiverOk == false)
                WriteWarning($"{receiverError!.TrimEnd('.')}. Sobot itself {(sobotError is null ? "answers, so sends go out" : "does not answer either")}; Test-SobotConnection -Detailed shows both.");
            WriteObject(sobotError is null);
        }
    }
}
