using System.Management.Automation;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>
    /// Output and progress as every SobotPS cmdlet writes them. These hide <see cref="Cmdlet.WriteObject(object)"/> and
    /// <see cref="Cmdlet.WriteProgress(ProgressRecord)"/> so that no command can forget them:
    /// a progress line shows outside text (a receiver's answer, Sobot's reasons) with control characters escaped, as the
    /// format views do (<see cref="DisplayText"/>); and a command with -SafeForSpreadsheet (<see cref="ISpreadsheetOutput"/>)
    /// writes each object through <see cref="SpreadsheetOutput.Inert"/>.
    /// </summary>
    public abstract partial class PromptSafeCmdlet
    {
        protected new void WriteProgress(ProgressRecord progressRecord)
        {
            progressRecord.Activity = DisplayText.Escape(progressRecord.Activity);
            progressRecord.StatusDescription = DisplayText.Escape(progressRecord.StatusDescription);
            if (progressRecord.CurrentOperation != null) progressRecord.CurrentOperation = DisplayText.Escape(progressRecord.CurrentOperation);
            base.WriteProgress(progressRecord);
        }

        protected new void WriteObject(object? sendToPipeline) => base.WriteObject(ForSpreadsheet ? SpreadsheetOutput.Inert(sendToPipeline) : sendToPipeline);

        protected new void WriteObject(object? sendToPipeline, bool enumerateCollection)
        {
            if (!ForSpreadsheet)
            {
                base.WriteObject(sendToPipeline, enumerateCollection);
                return;
            }
            var items = enumerateCollection ? LanguagePrimitives.GetEnumerable(sendToPipeline) : null;
            if (items is null) base.WriteObject(SpreadsheetOutput.Inert(sendToPipeline));
            else foreach (var item in items) base.WriteObject(SpreadsheetOutput.Inert(item));
        }

        /// <summary>
        /// An error as the console shows it: a message quoting outside text (a failure reason anyone with the webhook URL
        /// can post, Sobot's own message) has its control characters escaped in <see cref="ErrorRecord.ErrorDetails"/>;
        /// the exception keeps the original text.
        /// </summary>
        protected new void WriteError(ErrorRecord errorRecord) => base.WriteError(Displayable(errorRecord));

        protected new void ThrowTerminatingError(ErrorRecord errorRecord) => base.ThrowTerminatingError(Displayable(errorRecord));

        internal static ErrorRecord Displayable(ErrorRecord record)
        {
            string message = record.ErrorDetails?.Message ?? record.Exception?.Message ?? string.Empty;
            string shown = DisplayText.EscapeLines(message);
            if (shown != message)
                record.ErrorDetails = new ErrorDetails(shown) { RecommendedAction = DisplayText.EscapeLines(record.ErrorDetails?.RecommendedAction) };
            return record;
        }

        private bool ForSpreadsheet => this is ISpreadsheetOutput output && output.SafeForSpreadsheet.IsPresent;
    }
}
