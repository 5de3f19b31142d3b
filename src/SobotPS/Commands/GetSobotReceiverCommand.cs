using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text.Json;
using Sobot.Client;

namespace SobotPS.Commands
{
    /// <summary>
    /// Lists the webhook receivers this user started with Start-SobotReceiver (attached or -Detach) that still run,
    /// from any session; with -Path, the receiver that keeps its SQLite store in a folder (a service), running or
    /// not. The webhook URL is shown masked; RevealWebhookUrl() gives it for pasting into the Sobot portal.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotReceiver", DefaultParameterSetName = StartedSet)]
    [OutputType(typeof(SobotReceiverProcess))]
    public sealed class GetSobotReceiverCommand : PromptSafeCmdlet
    {
        private const string StartedSet = "Started";
        private const string PathSet = "Path";
        private const string StateSuffix = ".receiver.json";

        /// <summary>A folder holding a receiver's SQLite store (every receiver whose store is there), or the store file itself.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [Alias("FullName", "StorePath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == StartedSet)
            {
                foreach (var record in ReceiverRegistry.Running()) Output(record);
                return;
            }
            foreach (string given in Path)
            {
                string path = GetUnresolvedProviderPathFromPSPath(given);
                foreach (string stateFile in StateFiles(path)) Output(stateFile);
            }
        }

        /// <summary>The state files a receiver keeps beside its store: every one in a folder, or the one of a store file. Errors for none.</summary>
        private IEnumerable<string> StateFiles(string path)
        {
            string single = path.EndsWith(StateSuffix, StringComparison.OrdinalIgnoreCase) ? path : path + StateSuffix;
            string[] found;
            try
            {
                found = Directory.Exists(path) ? Directory.GetFiles(path, "*" + StateSuffix)
                    : File.Exists(single) ? new[] { single }
                    : Array.Empty<string>();
            }
            catch (UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(new UnauthorizedAccessException($"This account cannot read {path}. A service receiver's folder belongs to its account: run as that account (or as an administrator)."),
                    SobotErrorIds.ReceiverNotFound, ErrorCategory.PermissionDenied, path));
                return Array.Empty<string>();
            }
            if (found.Length == 0)
                WriteError(new ErrorRecord(new ItemNotFoundException($"No receiver has kept its store at {path}: a receiver writes <store>{StateSuffix} beside its SQLite store when it starts (a PostgreSQL receiver keeps nothing there; Get-SobotReceiver without -Path lists those this user started)."),
                    SobotErrorIds.ReceiverNotFound, ErrorCategory.ObjectNotFound, path));
            return found;
        }

        private void Output(string stateFile)
        {
            ReceiverRecord record;
            try
            {
                record = ReceiverRecord.Read(stateFile);
            }
            catch (UnsafePathException ex)
            {
                // A file another user could have planted: what it names (where to send the query key) is not used.
                WriteWarning(ex.Message);
                return;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException || ex is InvalidOperationException || ex is KeyNotFoundException || ex is FormatException || ex is UriFormatException)
            {
                WriteError(new ErrorRecord(new InvalidDataException($"Cannot read {stateFile}: {ex.Message}", ex), SobotErrorIds.ReceiverNotFound,
                    ex is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.InvalidData, stateFile));
                return;
            }
            Output(record);
        }

        private void Output(ReceiverRecord record)
        {
            var (webhookUrl, queryKey) = record.ReadSecrets(out string? problem);
            if (problem != null) WriteWarning(problem);
            WriteObject(new SobotReceiverProcess(record, webhookUrl, queryKey, null));
        }
    }
}
