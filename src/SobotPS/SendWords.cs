using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Sobot.Client;
using Sobot.Client.Bulk;
using Sobot.Client.PreSend;

namespace SobotPS
{
    /// <summary>
    /// The client speaks of numbers, lists and windows; this says the same in PowerShell's words: which cmdlet or
    /// parameter changes the outcome, and which parameter a wire field came from. One place for the Send-Sobot*
    /// cmdlets, so the client's messages never name a cmdlet.
    /// </summary>
    internal static class SendWords
    {
        /// <summary>What a user can do about a row's error, in PowerShell terms; empty when nothing applies.</summary>
        public static string Advice(Exception error, bool journal)
        {
            switch (error)
            {
                case SobotOptedOutException _:
                    return " Remove-SobotOptOut takes it off the list; -IncludeOptedOut sends to it anyway.";
                case SobotWindowClosedException _:
                    return " Send-SobotTemplate sends an approved template; -FallbackTemplate does it for such rows.";
                case EarlierRunException earlier when earlier.EarlierState == JournalState.Failed:
                    return " Fix the row, or pass -RetryFailed to send it as it is.";
                case EarlierRunException _:
                    return " Ask the customer (or check the Sobot inbox), then leave it, or run the same command with -RetryUnknown to send such rows again.";
                case RowNotSentException notSent when journal && notSent.InnerException is null:
                    return " Run the same command again with the same -JournalPath to send it.";
                default:
                    return string.Empty;
            }
        }

        /// <summary>
        /// A template error with the parameters that set the values it is about, before its last full stop
        /// ("...give the header's image URL (-HeaderImageUrl).").
        /// </summary>
        public static string WithParameters(SobotTemplateException ex, Func<string, string?> parameterOf)
        {
            var names = ex.Values.Select(parameterOf).Where(n => n != null).Select(n => "-" + n).ToList();
            if (names.Count == 0) return ex.Message;
            string them = " (" + string.Join(", ", names) + ")";
            return ex.Message.EndsWith(".", StringComparison.Ordinal) ? ex.Message.Substring(0, ex.Message.Length - 1) + them + "." : ex.Message + them;
        }

        /// <summary>A notice of the pre-send step as the run's one warning.</summary>
        public static string Warning(PreSendNotice notice) =>
            notice.Kind == PreSendNoticeKind.NoOptOutList
                ? notice.Message + " To send nothing instead when no list can be had, pass -RequireOptOutList (or Connect-Sobot -RequireOptOutList)."
                : notice.Message;

        /// <summary>The failure of a run that requires the opt-out list, with the switch that asked for it.</summary>
        public static string Refusal(OptOutListUnavailableException ex, bool fromConnection) =>
            ex.Message + (fromConnection
                ? " (Connect-Sobot -RequireOptOutList; -RequireOptOutList:$false sends without the check for one run.)"
                : " (-RequireOptOutList)") + " Run it again when the receiver answers.";

        /// <summary>A validation message with the wire field named by its parameter (message → -Message ('message')).</summary>
        public static string NameField(SobotValidationException ex, Func<string, string?> parameterOf)
        {
            string? parameter = parameterOf(ex.Field);
            if (parameter is null) return ex.Message;
            string named = $"-{parameter} ('{ex.Field}')";
            return ex.Message.IndexOf($"The field '{ex.Field}'", StringComparison.Ordinal) >= 0
                ? ex.Message.Replace($"The field '{ex.Field}'", named)
                : ex.Message.Replace($"'{ex.Field}'", named);
        }

        /// <summary>
        /// The parameter behind a wire field by the module's naming: the field's first part in PascalCase
        /// (message → Message, mime_type → MimeType), when <paramref name="has"/> says the command has it.
        /// </summary>
        public static string? ParameterOfField(string field, Func<string, string?> has)
        {
            if (field.StartsWith("params.body.parameters[", StringComparison.Ordinal))
            {
                int start = field.IndexOf('[') + 1, end = field.IndexOf(']');
                return int.TryParse(field.Substring(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                    ? $"BodyParameter value {i + 1}" : "BodyParameter";
            }
            int cut = field.IndexOfAny(new[] { '.', '[' });
            string head = cut < 0 ? field : field.Substring(0, cut);
            var pascal = new StringBuilder();
            foreach (var part in head.Split('_'))
                if (part.Length > 0) pascal.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
            return has(pascal.ToString());
        }
    }
}
