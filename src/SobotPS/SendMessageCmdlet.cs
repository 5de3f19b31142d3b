using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using Sobot.Client;
using Sobot.Client.Bulk;
using Sobot.Client.Models.Requests;
using Sobot.Client.PreSend;

namespace SobotPS
{
    /// <summary>
    /// The shared shape of every Send-Sobot* command: who to send to (bound by property name from CSV rows and
    /// objects; several numbers each make their own row), the request each command builds, -WhatIf, and the results
    /// and errors of each row. What happens between (the opt-out list, the 24-hour window, the fallback template,
    /// concurrent paced sending with safe retries, the journal, the counts) is the client's: the pre-send step and
    /// the bulk sender. Every row that comes in is counted once (sent, failed, skipped or unknown) in the progress
    /// bar, the summary line, -SummaryVariable and the journal.
    /// </summary>
    public abstract class SendMessageCmdlet : SobotCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
        private SobotConnection? _connection;
        private SendJournal? _journal;
        private BulkSender? _sender;
        private PreSendStep? _preSend;
        private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
        private readonly BodyParameterReader _fallbackBody = new BodyParameterReader();
        private bool _progressShown;
        private bool _summaryWritten;
        private long _row;
        private bool? _fromCsv;
        private bool? _mayAsk;

        /// <summary>The customers' WhatsApp numbers, each its own row; country code first, or national form with -DefaultRegion.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "PhoneNumber", "Number")]
        [AllowEmptyString]
        public string[] CustomerNumber { get; set; } = Array.Empty<string>();

        /// <summary>The name Sobot stores for the contact; the number when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("customer_name", "Name")]
        [AllowNull, AllowEmptyString]
        public string? CustomerName { get; set; }

        /// <summary>The whole pipeline object, kept as the error target and on the result.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>
        /// A hard cap on messages in flight at once for this run; the connection's (Connect-Sobot -ThrottleLimit) when
        /// omitted, and with neither, the concurrency follows the pacing and the latency.
        /// </summary>
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

        /// <summary>Sends a row identical to an earlier row of the same run only once; the repeats are counted as skipped.</summary>
        [Parameter]
        public SwitchParameter SkipDuplicate { get; set; }

        /// <summary>The name of a variable (without $) that receives the run's counts, like -ErrorVariable.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SummaryVariable { get; set; }

        /// <summary>How many rows are coming, e.g. (Import-Csv x.csv).Count: the progress bar then shows the percentage and the time left.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TotalCount { get; set; }

        /// <summary>Sends to numbers on the opt-out list too (they said STOP); a warning names each.</summary>
        [Parameter]
        public SwitchParameter IncludeOptedOut { get; set; }

        /// <summary>
        /// Fails closed: when the receiver cannot be read and no opt-out list from it was ever kept on this machine,
        /// the run sends nothing (one terminating error). The connection's setting (Connect-Sobot -RequireOptOutList) when omitted.
        /// </summary>
        [Parameter]
        public SwitchParameter RequireOptOutList { get; set; }

        /// <summary>Sends free-form messages without asking the receiver whether the number's 24-hour window is open.</summary>
        [Parameter]
        public SwitchParameter SkipWindowCheck { get; set; }

        /// <summary>When a number's 24-hour window is closed, send this approved template instead of the free-form message.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(Completers.TemplateNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? FallbackTemplate { get; set; }

        /// <summary>The body values of -FallbackTemplate: values, or a scriptblock read for each row ({ $_.OrderId }).</summary>
        [Parameter]
        [AllowNull, AllowEmptyCollection]
        public object? FallbackBodyParameter { get; set; }

        /// <summary>Builds the request for this item; throws validation or template exceptions.</summary>
        protected abstract SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName);

        /// <summary>The parameter that sets a wire field, so errors speak PowerShell (e.g. "message" is -Message).</summary>
        protected virtual string? ParameterOfField(string field) => null;

        /// <summary>
        /// The parameter that sets a template value (a TemplateSendValues property) an error names. Here the only
        /// template is -FallbackTemplate's, whose body values are -FallbackBodyParameter; Send-SobotTemplate says more.
        /// </summary>
        protected virtual string? ParameterOfValue(string value) => value == "BodyParameters" ? nameof(FallbackBodyParameter) : null;

        /// <summary>PowerShell-side hints for the commonest mistakes of a command's parameters (e.g. $_ without braces).</summary>
        protected virtual string Hint(Exception ex, bool fromPipeline) => string.Empty;

        /// <summary>The input row being processed (what scriptblock parameters evaluate against).</summary>
        protected PSObject? CurrentRow => InputObject;

        /// <summary>
        /// Whether ShouldProcess could say anything but yes (-WhatIf, -Confirm, or their preferences): only then
        /// is each row's description built, which a bulk run of thousands of rows would otherwise pay for.
        /// </summary>
        private bool MayAsk => _mayAsk ??= BoundSwitch("WhatIf") || BoundSwitch("Confirm")
            || LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"))
            || (GetVariableValue("ConfirmPreference") is ConfirmImpact preference && preference != ConfirmImpact.None && preference <= ConfirmImpact.Medium);

        protected override void BeginProcessing()
        {
            var connection = _connection = ResolveConnection();
            _journal = OpenJournal();
            bool fromConnection = !MyInvocation.BoundParameters.ContainsKey(nameof(RequireOptOutList));
            _preSend = new PreSendStep(connection.Client, connection.Receiver, new PreSendOptions
            {
                IncludeOptedOut = IncludeOptedOut,
                SkipWindowCheck = SkipWindowCheck,
                RequireOptOutList = fromConnection ? connection.RequireOptOutList : RequireOptOutList.IsPresent,
                FallbackTemplate = FallbackTemplate,
                Cache = connection.OptOutCache,
            });
            try
            {
                // One read of the opt-out list per run; each row is then checked without a round trip.
                Call(_preSend.StartAsync);
            }
            catch (OptOutListUnavailableException ex)
            {
                connection.NoteReceiver(ex.InnerException);
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(SendWords.Refusal(ex, fromConnection), ex),
                    SobotErrorIds.OptOutListUnavailable, ErrorCategory.ResourceUnavailable, ex.Receiver));
            }
            if (connection.Receiver != null) connection.NoteReceiver(_preSend.ReceiverProblem);
            WriteNotices();
            _sender = new BulkSender(connection.Client, new BulkSendOptions
            {
                ThrottleLimit = ThrottleLimit > 0 ? ThrottleLimit : connection.ThrottleLimit,
                MaximumRetryCount = MaximumRetryCount >= 0 ? MaximumRetryCount : (int?)null,
                MaxMessagesPerSecond = MaxMessagesPerSecond > 0 ? MaxMessagesPerSecond : (double?)null,
                Journal = _journal,
                RetryUnknown = RetryUnknown,
                RetryFailed = RetryFailed,
                SkipDuplicates = SkipDuplicate,
                PreSend = _preSend,
            }, CancellationToken);
        }

        private SendJournal? OpenJournal()
        {
            if (JournalPath is null) return null;
            string path = GetUnresolvedProviderPathFromPSPath(JournalPath);
            SendJournal? journal = null;
            try
            {
                journal = SendJournal.Open(path);
            }
            catch (JournalLockedException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, SobotErrorIds.JournalInUse, ErrorCategory.ResourceBusy, JournalPath));
            }
            catch (JournalUnusableException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, SobotErrorIds.JournalUnusable, ErrorCategory.OpenError, JournalPath));
            }
            catch (UnsafePathException ex)
            {
                // Another user could read it, change it, or made it: nothing is sent, as with a journal that cannot be used.
                ThrowTerminatingError(SobotErrors.FromUnsafePath(ex));
            }
            if (journal!.Repair != null) WriteWarning($"Journal {path}: {journal.Repair}");
            if (journal.Previous.Count > 0) WriteVerbose($"Journal {path}: {journal.Previous.Count} row(s) recorded by earlier runs.");
            return journal;
        }

        protected override void ProcessRecord()
        {
            // Several numbers (the on-call list) are several rows of the same input.
            foreach (string number in CustomerNumber) SendOne(number ?? string.Empty);
        }

        private void SendOne(string typed)
        {
            var connection = _connection!;
            var sender = _sender!;
            _row++;
            var row = new SendRow(PipelineTarget(InputObject, typed), typed, MyInvocation.ExpectingInput, _row, FromCsv());
            string? rowText = sender.WantsRowText ? RowText(typed) : null;
            if (sender.Stopped) { sender.Refuse(typed, row, new RowNotSentException("Not sent: the run was stopping."), rowText); Drain(); return; }

            PreSendDecision decision;
            try
            {
                string number = connection.Client.PhoneNumbers.Normalize(typed);
                string name = string.IsNullOrWhiteSpace(CustomerName) ? number : CustomerName!.Trim();
                var built = BuildRequest(connection, number, name);
                built.Validate();
                var fallbackBody = FallbackTemplate != null && !(built is TemplateMessageRequest) ? _fallbackBody.Read(FallbackBodyParameter, CurrentRow, nameof(FallbackBodyParameter)) : null;
                decision = Call(token => sender.ScreenAsync(built, row, rowText, fallbackBody, token));
            }
            catch (Exception ex) when (ex is SobotException || ex is RowInputException)
            {
                // Refused before sending.
                sender.Refuse(typed, row, ex, rowText);
                StopIfKeysRejected(ex);
                Drain();
                return;
            }
            WriteNotices();
            if (!decision.Admitted)
            {
                // A fallback template that could not be planned because the keys were rejected ends the run.
                StopIfKeysRejected(decision.Error);
                Drain();
                return;
            }
            var request = decision.Request;
            if (decision.OptOut is { } optOut)
                WriteWarning($"{row.Label}: {request.CustomerNumber} opted out on {optOut.Since.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; sending anyway (-IncludeOptedOut).");
            if (decision.TemplateWarning != null) WriteWarning(decision.TemplateWarning);
            if (decision.FellBack)
            {
                row.FellBack = true;
                WriteVerbose($"{row.Label} ({request.CustomerNumber}): the 24-hour window is closed; sending the template '{FallbackTemplate}' instead (-FallbackTemplate).");
            }

            if (MayAsk && !ShouldProcess(
                    (request.CustomerName == request.CustomerNumber ? request.CustomerNumber : $"{request.CustomerName} ({request.CustomerNumber})") + (row.FromPipeline ? ", " + row.Label : string.Empty),
                    "Send " + request.Describe()))
            {
                sender.Skip(request, row, BulkSkipReason.NotConfirmed);
                Drain();
                return;
            }

            // Backpressure: the input is read only as fast as messages complete, so memory stays flat.
            while (!sender.HasRoom && !Stopping && sender.Fatal is null)
            {
                sender.Wait(TimeSpan.FromMilliseconds(100));
                Drain();
            }
            using (TraceListening())
                sender.Add(request, row, rowText);
            Drain();
        }

        /// <summary>Rejected keys (the template list could not be read) end the run: every later row would fail too.</summary>
        private void StopIfKeysRejected(Exception? error)
        {
            if (!(error is SobotApiException api) || !api.KeysRejected) return;
            Drain();
            Finish();
            ThrowTerminatingError(SobotErrors.FromApi(api, api.Path));
        }

        /// <summary>The pre-send step's notices (a receiver outage), each once per run, as warnings.</summary>
        private void WriteNotices()
        {
            var step = _preSend!;
            while (step.TryTakeNotice(out var notice))
            {
                if (notice.Kind == PreSendNoticeKind.WindowUnchecked) _connection!.NoteReceiver(notice.Cause);
                WriteWarning(SendWords.Warning(notice));
            }
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
            sender.FlushJournal();
            if (sender.Fatal != null) StopForFatal(sender);
            Finish();
        }

        /// <summary>Closes the progress bar, writes the summary line and sets -SummaryVariable.</summary>
        private void Finish()
        {
            if (_summaryWritten) return;
            _summaryWritten = true;
            var summary = _sender!.Summary();
            if (_progressShown)
                WriteProgress(new ProgressRecord(1, "Sending WhatsApp messages", "Done") { RecordType = ProgressRecordType.Completed });
            SetSummaryVariable(summary);
            WriteInformation(summary.ToString(), new[] { "SobotPS", "Summary" });
            WriteVerbose(_sender.PacingReport);
        }

        private void SetSummaryVariable(SendSummary summary)
        {
            if (SummaryVariable is null) return;
            SessionState.PSVariable.Set(SummaryVariable.TrimStart('$'), summary);
        }

        protected override void ReleaseResources()
        {
            // Stopped (Ctrl+C) or finished: requests on the wire get their grace, then the journal is closed,
            // so every row it holds has an outcome.
            _sender?.Dispose();
            _journal?.Dispose();
            if (!_summaryWritten && _sender != null)
            {
                _summaryWritten = true;
                try { SetSummaryVariable(_sender.Summary()); }
                catch (Exception ex) when (ex is PipelineStoppedException || ex is InvalidOperationException || ex is SessionStateException) { }
            }
        }

        /// <summary>Writes every finished row: a result, an error, or (for rows sent by an earlier run) a verbose line.</summary>
        private void Drain()
        {
            var sender = _sender!;
            while (sender.TryTake(out var outcome)) WriteOutcome(outcome);
            FlushTrace();
            if (sender.Fatal != null) StopForFatal(sender);
            if (_sinceProgress.Elapsed >= ProgressInterval)
            {
                _sinceProgress.Restart();
                _progressShown = true;
                WriteProgress(Progress(sender));
            }
        }

        /// <summary>One finished row: a result, an error, or (for rows skipped on purpose) a verbose line.</summary>
        private void WriteOutcome(BulkOutcome outcome)
        {
            var row = (SendRow)outcome.State!;
            switch (outcome.Kind)
            {
                case BulkOutcomeKind.Sent:
                    var request = outcome.Request!;
                    WriteObject(SobotMessageResult.ToPSObject(new SobotMessageResult(
                        outcome.Response!.Data!.Id!, outcome.Response.Data.Status ?? "submitted", request.CustomerNumber, request.CustomerName,
                        request.MessageType, (request as TemplateMessageRequest)?.TemplateName, outcome.Response.SentAt, row.Target as PSObject, row.FellBack)));
                    break;
                case BulkOutcomeKind.Skipped when outcome.SkipReason == BulkSkipReason.SentEarlier:
                    WriteVerbose($"{row.Label} ({outcome.CustomerNumber}): sent by an earlier run ({outcome.PreviousMessageId}); skipped.");
                    break;
                case BulkOutcomeKind.Skipped when outcome.SkipReason == BulkSkipReason.Duplicate:
                    WriteVerbose($"{row.Label} ({outcome.CustomerNumber}): identical to an earlier row of this run; skipped (-SkipDuplicate).");
                    break;
                case BulkOutcomeKind.Skipped when outcome.SkipReason == BulkSkipReason.OptedOut:
                    WriteError(Name(SobotErrors.Record(outcome.Error!, SobotErrorIds.OptedOut, ErrorCategory.PermissionDenied, row.Target), row, outcome.Error!.Message + SendWords.Advice(outcome.Error, _journal != null)));
                    break;
                case BulkOutcomeKind.Skipped:
                    break;
                default:
                    WriteError(OutcomeError(outcome, row));
                    break;
            }
        }

        private ProgressRecord Progress(BulkSender sender)
        {
            long done = sender.Sent + sender.Failed + sender.Skipped + sender.Unknown;
            string counts = string.Format(CultureInfo.InvariantCulture, "{0}{1} rows: sent {2}, failed {3}, skipped {4}, unknown {5}; {6:0.0} msg/s",
                done, TotalCount > 0 ? "/" + TotalCount.ToString(CultureInfo.InvariantCulture) : string.Empty,
                sender.Sent, sender.Failed, sender.Skipped, sender.Unknown, sender.Rate);
            var record = new ProgressRecord(1, "Sending WhatsApp messages", counts);
            if (TotalCount > 0 && done > 0)
            {
                record.PercentComplete = (int)Math.Min(100, done * 100 / TotalCount);
                double perRow = sender.Elapsed.TotalSeconds / done;
                record.SecondsRemaining = (int)Math.Max(0, (TotalCount - done) * perRow);
            }
            return record;
        }

        /// <summary>
        /// The keys were rejected or the journal broke: nothing more can be sent. Rows on the wire get their
        /// grace and are written out, the summary is given, then one terminating error.
        /// </summary>
        private void StopForFatal(BulkSender sender)
        {
            if (_summaryWritten) return;
            var fatal = sender.Fatal!;
            var deadline = Stopwatch.StartNew();
            while (sender.Outstanding > 0 && !Stopping && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                sender.Wait(TimeSpan.FromMilliseconds(100));
                while (sender.TryTake(out var outcome)) WriteOutcome(outcome);
            }
            FlushTrace();
            Finish();
            if (fatal is SobotApiException api)
                ThrowTerminatingError(SobotErrors.FromApi(api, api.Path));
            ThrowTerminatingError(new ErrorRecord(new JournalUnusableException(
                fatal.Message + " The run stopped: rows already sent stay sent, and the journal keeps each row it could record. Free space or fix the file, then run the same command again.", fatal),
                SobotErrorIds.JournalUnusable, ErrorCategory.WriteError, JournalPath));
        }

        private ErrorRecord OutcomeError(BulkOutcome outcome, SendRow row)
        {
            var target = row.Target;
            bool unknown = outcome.Kind == BulkOutcomeKind.Unknown;
            switch (outcome.Error)
            {
                case SobotValidationException validation:
                    return Name(SobotErrors.FromValidation(validation, target), row,
                        SendWords.NameField(validation, field => ParameterOfField(field) ?? SendWords.ParameterOfField(field, HasParameter)) + Hint(validation, row.FromPipeline));
                case SobotTemplateException template:
                    return Name(SobotErrors.FromTemplate(template, target), row, SendWords.WithParameters(template, ParameterOfValue) + Hint(template, row.FromPipeline));
                case SobotApiException api:
                    var fromApi = SobotErrors.FromApi(api, target);
                    return Name(fromApi, row, fromApi.ErrorDetails?.Message ?? api.Message);
            }
            // Errors of the run rather than of Sobot: which id and category each gets.
            var (id, category) = outcome.Error switch
            {
                RowInputException => (SobotErrorIds.InvalidInput, ErrorCategory.InvalidArgument),
                SobotWindowClosedException => (SobotErrorIds.WindowClosed, ErrorCategory.InvalidOperation),
                EarlierRunException when unknown => (SobotErrorIds.OutcomeUnknown, ErrorCategory.InvalidResult),
                EarlierRunException => (SobotErrorIds.PreviouslyFailed, ErrorCategory.InvalidOperation),
                RowNotSentException when unknown => (SobotErrorIds.OutcomeUnknown, ErrorCategory.OperationStopped),
                RowNotSentException => (SobotErrorIds.NotSent, ErrorCategory.OperationStopped),
                _ => (SobotErrorIds.JournalUnusable, ErrorCategory.WriteError),
            };
            return Name(SobotErrors.Record(outcome.Error!, id, category, target), row, outcome.Error!.Message + SendWords.Advice(outcome.Error, _journal != null));
        }

        /// <summary>The command's parameter of that name (any case), or null.</summary>
        protected string? HasParameter(string candidate)
        {
            foreach (var name in MyInvocation.MyCommand.Parameters.Keys)
                if (string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase)) return name;
            return null;
        }

        /// <summary>Every error of a send names its row: the input position (or CSV line) and the number.</summary>
        private static ErrorRecord Name(ErrorRecord record, SendRow row, string message)
        {
            string number = string.IsNullOrWhiteSpace(row.Number) ? "no number" : row.Number!;
            var details = new ErrorDetails($"{row.Label} ({number}): {message}");
            if (record.ErrorDetails != null) details.RecommendedAction = record.ErrorDetails.RecommendedAction;
            record.ErrorDetails = details;
            return record;
        }

        /// <summary>Whether this row comes straight from Import-Csv, so its label can name the CSV line.</summary>
        private bool FromCsv()
        {
            _fromCsv ??= MyInvocation.PipelinePosition > 1 && (MyInvocation.Line ?? string.Empty).IndexOf("Import-Csv", StringComparison.OrdinalIgnoreCase) >= 0;
            return _fromCsv.Value && InputObject?.BaseObject is PSCustomObject;
        }

        /// <summary>The input row's values, which name it in the journal across runs; with several numbers, also which one.</summary>
        private string RowText(string number)
        {
            var sb = new StringBuilder();
            if (InputObject?.BaseObject is PSCustomObject)
            {
                foreach (var property in InputObject.Properties)
                    sb.Append(property.Name).Append('=').Append(property.Value).Append('\n');
                if (CustomerNumber.Length > 1) sb.Append("#number=").Append(number).Append('\n');
            }
            else
            {
                sb.Append(number).Append('\n');
                foreach (var bound in MyInvocation.BoundParameters)
                    if (bound.Value is string || bound.Value is ValueType) sb.Append(bound.Key).Append('=').Append(bound.Value).Append('\n');
            }
            return sb.ToString();
        }
    }
}
