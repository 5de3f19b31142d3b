using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using SobotPS.Completers;

namespace SobotPS.Commands
{
    /// <summary>
    /// Stops a receiver that Start-SobotReceiver started or Get-SobotReceiver found: a clean stop (SIGTERM) first, so
    /// acknowledged events are all on disk; a kill after -TimeoutSec. It signals a process only after checking that
    /// it is still that receiver (same pid, same start time), never a program that got the pid later.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "SobotReceiver", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ObjectSet)]
    [OutputType(typeof(void))]
    public sealed class StopSobotReceiverCommand : PromptSafeCmdlet
    {
        private const string ObjectSet = "InputObject";
        private const string ProcessIdSet = "ProcessId";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        [ValidateNotNull]
        public SobotReceiverProcess? InputObject { get; set; }

        /// <summary>The process id of a receiver this user started (as Get-SobotReceiver lists it).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ProcessIdSet)]
        [ArgumentCompleter(typeof(ReceiverProcessIdCompleter))]
        public int[] ProcessId { get; set; } = Array.Empty<int>();

        /// <summary>How long a clean stop may take before the process is killed.</summary>
        [Parameter]
        [ValidateRange(1, 300)]
        public int TimeoutSec { get; set; } = 10;

        protected override void ProcessRecord()
        {
            if (InputObject != null)
            {
                Stop(InputObject.Record, InputObject.Process, InputObject);
                return;
            }
            var started = ReceiverRegistry.Running();
            foreach (int pid in ProcessId)
            {
                var record = started.FirstOrDefault(r => r.ProcessId == pid);
                if (record is null)
                    WriteError(new ErrorRecord(new ItemNotFoundException($"No receiver this user started runs with process id {pid} (Get-SobotReceiver lists them)."),
                        SobotErrorIds.ReceiverNotFound, ErrorCategory.ObjectNotFound, pid));
                else
                    Stop(record, null, pid);
            }
        }

        private void Stop(ReceiverRecord record, Process? started, object target)
        {
            if (!ShouldProcess($"pid {record.ProcessId} ({record.WebhookUrlMasked}, store {record.Store})", "Stop the webhook receiver")) return;
            var process = started != null && !HasExited(started) ? started : null;
            using var found = process is null ? record.FindProcess() : null;
            process ??= found;
            if (process is null)
            {
                WriteVerbose($"The receiver (pid {record.ProcessId}) is not running.");
                ReceiverRegistry.Remove(record);
                return;
            }
            try
            {
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && Terminate(record.ProcessId, 15) == 0)
                {
                    if (process.WaitForExit(TimeoutSec * 1000)) { ReceiverRegistry.Remove(record); return; }
                    WriteWarning($"The receiver (pid {record.ProcessId}) did not stop within {TimeoutSec} s; it was killed.");
                }
                process.Kill();
                process.WaitForExit(5000);
                ReceiverRegistry.Remove(record);
            }
            catch (InvalidOperationException)
            {
                ReceiverRegistry.Remove(record);   // exited meanwhile
            }
            catch (Win32Exception ex)
            {
                WriteError(new ErrorRecord(new InvalidOperationException(
                    $"Cannot stop the receiver (pid {record.ProcessId}): {ex.Message}. A receiver that runs as a service is stopped by its service manager (systemctl stop sobot-receiver, Stop-Service SobotReceiver).", ex),
                    SobotErrorIds.ReceiverStopFailed, ErrorCategory.PermissionDenied, target));
            }
        }

        private static bool HasExited(Process process)
        {
            try { return process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Terminate(int pid, int signal);
    }
}
