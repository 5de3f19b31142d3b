using System.Management.Automation;
using Sobot.Client;

namespace SobotPS.Commands
{
    /// <summary>Returns $true when the connection's keys are accepted by Sobot now, else $false.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "SobotConnection")]
    [OutputType(typeof(bool))]
    public sealed class TestSobotConnectionCommand : SobotCmdlet
    {
        protected override void EndProcessing()
        {
            var connection = Connection ?? SobotSession.Current;
            if (connection is null || !connection.IsOpen)
            {
                WriteVerbose("Not connected to Sobot.");
                WriteObject(false);
                return;
            }
            try
            {
                Call(token => connection.Client.VerifyCredentialsAsync(token));
                // With a webhook receiver connected, it must answer with the key as well.
                if (connection.Receiver is { } receiver) Call(token => receiver.GetConsumersAsync(token));
                WriteObject(true);
            }
            catch (SobotException ex)
            {
                WriteVerbose(ex.Message);
                WriteObject(false);
            }
        }
    }
}
