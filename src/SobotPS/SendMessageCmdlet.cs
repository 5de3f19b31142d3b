using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Bulk;
using Sobot.Client.Models.Requests;

namespace SobotPS
{
    /// <summary>
    /// The shared shape of every Send-Sobot* command: who to send to (bound by property name from CSV
    /// rows and objects), number normalization, validation before anything is sent, -WhatIf, concurrent
    /// paced sending with safe retries, an optional journal for resuming, one
    /// <see cref="SobotMessageResult"/> per accepted message and one error per failed item.
    /// </summary>
    public abstract class SendMessageCmdlet : SobotCmdlet
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
        private SobotConnection? _connection;
        private SendJournal? _journal;
        private BulkSender? _sender;
        private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
        private bool _progressShown;

        /// <summary>The customer's WhatsApp number; country code first, or national form with -DefaultRegion.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "PhoneNumber", "Number")]
        [AllowEmptyString]
        public string CustomerNumber { get; set; } = string.Empty;

        /// <summary>The name Sobot stores for the contact; the number when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("customer_name", "Name")]
        [AllowNull, AllowEmptyString]
        public string? CustomerName { get; set; }

        /// <summary>The whole pipeline object, kept as the error target and on the result.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Messages in flight at once; the connection's default (Connect-Sobot -ThrottleLimit) when omitted.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; }

        /// <summary>Retries of a message the server certainly did not process (429, 503, not sent); 5 by default.</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        public int MaximumRetryCount { get; set; } = -1;

        /// <summary>A hard cap for this run, on top of the connection's pacing.</summary>
        [Parameter]
        [ValidateRange(0.01, 100000)]
        public double MaxMessagesPerSecond { get; set; }

        /// <summary>
        /// A file recording each row before it is sent and its outcome after: re-running the same command
        /// skips rows already sent and never resends a row whose delivery is unknown.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>With -JournalPath: also send rows an earlier run left with an unknown outcome (they may arrive twice).</summary>
        [Parameter]
        public SwitchParameter RetryUnknown { get; set; }

        /// <summary>With -JournalPath: also send rows an earlier run saw refused for good (e.g. a 400).</summary>
        [Parameter]
        public SwitchParameter RetryFailed { get; set; }

        /// <summary>Builds the request for this item; throws validation or template exceptions.</summary>
        protected abstract SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName);

        protected override void BeginProcessing()
        {
            _connection = ResolveConnection();
            if (JournalPath != null)
            {
                string path = GetUnresolvedProviderPathFromPSPath(JournalPath);
                try
                {
                    _journal = SendJournal.Open(path);
                }
                catch (JournalLockedException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, SobotErrorIds.JournalInUse, ErrorCategory.ResourceBusy, JournalPath));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, SobotErrorIds.JournalUnusable, ErrorCategory.OpenError, JournalPath));
                }
                if (_journal!.Previous.Count > 0)
                    WriteVerbose($"Journal {path}: {_journal.Previous.Count} row(s) recorded by earlier runs.");
            }
            _sender = new BulkSender(_connection.Client, new BulkSendOptions
            {
                ThrottleLimit = ThrottleLimit > 0 ? ThrottleLimit : _connection.ThrottleLimit,
                MaximumRetryCount = MaximumRetryCount >= 0 ? MaximumRetryCount : (int?)null,
                MaxMessagesPerSecond = MaxMessagesPerSecond > 0 ? MaxMessagesPerSecond : (double?)null,
                Journal = _journal,
                RetryUnknown = RetryUnknown,
                RetryFailed = RetryFailed,
            }, CancellationToken);
        }

        protected override void ProcessRecord()
        {
            var connection = _connection!;
            object target = PipelineTarget(InputObject, CustomerNumber);
            SendMessageRequest request;
            try
            {
                string number = connection.Client.PhoneNumbers.Normalize(CustomerNumber);
                string name = string.IsNullOrWhiteSpace(CustomerName) ? number : CustomerName!.Trim();
                request = BuildRequest(connection, number, name);
                request.Validate();
            }
            catch (SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, target));
                return;
            }
            catch (SobotTemplateException ex)
            {
                WriteError(SobotErrors.FromTemplate(ex, target));
                return;
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, target);
                return;
            }

            string what = request is TemplateMessageRequest t ? $"Send template '{t.TemplateName}' ({t.TemplateLang})" : $"Send {request.MessageType} message";
            if (!ShouldProcess($"{request.CustomerName} ({request.CustomerNumber})", what)) return;

            var sender = _sender!;
            // Backpressure: the input is read only as fast as messages complete, so memory stays flat.
            while (!sender.HasRoom && !Stopping)
            {
                sender.Wait(TimeSpan.FromMilliseconds(100));
                Drain();
            }
            if (Stopping) return;
            using (TraceListening())
                sender.Add(request, target);
            Drain();
        }

        protected override void EndProcessing()
        {
            var sender = _sender!;
            while (sender.Outstanding > 0 && !Stopping)
            {
                sender.Wait(TimeSpan.FromMilliseconds(100));
                Drain();
            }
            Drain();
            if (_progressShown)
                WriteProgress(new ProgressRecord(1, "Sending WhatsApp messages", "Done") { RecordType = ProgressRecordType.Completed });
            double seconds = sender.Elapsed.TotalSeconds;
            WriteInformation(string.Format(CultureInfo.InvariantCulture,
                "Sobot: sent {0}, failed {1}, skipped {2}, unknown {3} in {4:0.0} s ({5:0.0} msg/s){6}",
                sender.Sent, sender.Failed, sender.Skipped, sender.Unknown, seconds, sender.Rate,
                _journal is null ? string.Empty : "; journal " + _journal.Path), new[] { "SobotPS", "Summary" });
        }

        protected override void ReleaseResources()
        {
            _sender?.Dispose();
            _journal?.Dispose();
        }

        /// <summary>Writes every finished row: a result, an error, or (for rows sent by an earlier run) a verbose line.</summary>
        private void Drain()
        {
            var sender = _sender!;
            while (sender.TryTake(out var outcome))
            {
                var request = outcome.Request;
                switch (outcome.Kind)
                {
                    case BulkOutcomeKind.Sent:
                        WriteObject(new SobotMessageResult(
                            outcome.Response!.Data!.Id!,
                            outcome.Response.Data.Status ?? "submitted",
                            request.CustomerNumber,
                            request.CustomerName,
                            request.MessageType,
                            (request as TemplateMessageRequest)?.TemplateName,
                            outcome.CompletedAt,
                            outcome.State as PSObject));
                        break;
                    case BulkOutcomeKind.Skipped:
                        WriteVerbose($"{request.CustomerName} ({request.CustomerNumber}): sent by an earlier run ({outcome.PreviousMessageId}); skipped.");
                        break;
                    default:
                        WriteError(OutcomeError(outcome));
                        break;
                }
            }
            FlushTrace();
            if (sender.Fatal != null)
                ThrowTerminatingError(SobotErrors.FromApi(sender.Fatal, sender.Fatal.Path));
            if (_sinceProgress.Elapsed >= ProgressInterval)
            {
                _sinceProgress.Restart();
                _progressShown = true;
                WriteProgress(new ProgressRecord(1, "Sending WhatsApp messages", string.Format(CultureInfo.InvariantCulture,
                    "Sent {0}, failed {1}, skipped {2}, unknown {3}; {4:0.0} msg/s", sender.Sent, sender.Failed, sender.Skipped, sender.Unknown, sender.Rate)));
            }
        }

        private static ErrorRecord OutcomeError(BulkOutcome outcome)
        {
            var target = outcome.State;
            switch (outcome.Error)
            {
                case SobotApiException api:
                    return SobotErrors.FromApi(api, target);
                case InvalidOperationException earlier when outcome.Kind == BulkOutcomeKind.Unknown:
                    return SobotErrors.Record(earlier, SobotErrorIds.OutcomeUnknown, ErrorCategory.InvalidResult, target);
                case InvalidOperationException earlier:
                    return SobotErrors.Record(earlier, SobotErrorIds.PreviouslyFailed, ErrorCategory.InvalidOperation, target);
                default:
                    return SobotErrors.Record(outcome.Error!, SobotErrorIds.JournalUnusable, ErrorCategory.WriteError, target);
            }
        }
    }
}
