using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace SobotPS.Commands
{
    /// <summary>Stops a receiver Start-SobotReceiver started: a clean stop (SIGTERM) first, so acknowledged events are all on disk; a kill after -TimeoutSec.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "SobotReceiver", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class StopSobotReceiverCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public SobotReceiverProcess? InputObject { get; set; }

        /// <summary>How long a clean stop may take before the process is killed.</summary>
        [Parameter]
        [ValidateRange(1, 300)]
        public int TimeoutSec { get; set; } = 10;

        protected override void ProcessRecord()
        {
            var receiver = InputObject!;
            if (!ShouldProcess($"pid {receiver.ProcessId} ({receiver.WebhookUrlMasked})", "Stop the webhook receiver")) return;
            Process process;
            try
            {
                process = receiver.Process ?? Process.GetProcessById(receiver.ProcessId);
            }
            catch (ArgumentException)
            {
                WriteVerbose($"The receiver (pid {receiver.ProcessId}) is not running.");
                return;
            }
            if (process.HasExited) return;
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && Terminate(receiver.ProcessId, 15) == 0)
            {
                if (process.WaitForExit(TimeoutSec * 1000)) return;
                WriteWarning($"The receiver (pid {receiver.ProcessId}) did not stop within {TimeoutSec} s; it was killed.");
            }
            try
            {
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Terminate(int pid, int signal);
    }
}
