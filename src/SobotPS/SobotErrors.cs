using System;
using System.Management.Automation;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>The stable ErrorIds a script can test (<c>$_.FullyQualifiedErrorId -like 'InvalidCustomerNumber,*'</c>).</summary>
    public static class SobotErrorIds
    {
        public const string NotConnected = "SobotNotConnected";
        public const string ConnectionClosed = "SobotConnectionClosed";
        public const string ConnectFailed = "SobotConnectFailed";
        public const string MissingKeys = "SobotMissingKeys";
        /// <summary>A key with a control character or whitespace inside it: refused before anything is sent.</summary>
        public const string InvalidKey = "SobotInvalidKey";
        public const string InsecureBaseUri = "SobotInsecureBaseUri";
        public const string InvalidRegion = "SobotInvalidRegion";
        public const string InvalidCustomerNumber = "InvalidCustomerNumber";
        public const string InvalidInput = "InvalidInput";
        public const string TemplateNotFound = "TemplateNotFound";
        public const string TemplateLanguageAmbiguous = "TemplateLanguageAmbiguous";
        public const string TemplateNotApproved = "TemplateNotApproved";
        public const string TemplateParameterMismatch = "TemplateParameterMismatch";
        public const string Unauthorized = "SobotUnauthorized";
        public const string BadRequest = "SobotBadRequest";
        public const string Forbidden = "SobotForbidden";
        public const string NotFound = "SobotNotFound";
        public const string RateLimited = "SobotRateLimited";
        public const string Unavailable = "SobotUnavailable";
        /// <summary>A 500, a timeout or a dropped connection: the message may or may not have been delivered.</summary>
        public const string OutcomeUnknown = "SobotOutcomeUnknown";
        public const string ConnectionFailed = "SobotConnectionFailed";
        public const string UnexpectedResponse = "SobotUnexpectedResponse";
        /// <summary>Add-SobotCustomer for a number the account already has: scripts may ignore it.</summary>
        public const string CustomerAlreadyExists = "CustomerAlreadyExists";
        /// <summary>Another run holds the journal.</summary>
        public const string JournalInUse = "SobotJournalInUse";
        public const string JournalUnusable = "SobotJournalUnusable";
        /// <summary>An earlier run of the journal saw the row refused for good; not sent again without -RetryFailed.</summary>
        public const string PreviouslyFailed = "SobotPreviouslyFailed";
        /// <summary>The run stopped (Ctrl+C, rejected keys, a broken journal) before this row went out; a re-run sends it.</summary>
        public const string NotSent = "SobotNotSent";
        /// <summary>The webhook receiver could not be used (not reachable, or its store cannot answer).</summary>
        public const string ReceiverFailed = "SobotReceiverFailed";
        /// <summary>The receiver refused the query key.</summary>
        public const string ReceiverUnauthorized = "SobotReceiverUnauthorized";
        /// <summary>A wait ended while its receiver could not be reached: an outage, not "no answer".</summary>
        public const string ReceiverUnavailable = "SobotReceiverUnavailable";
        /// <summary>A send that requires the opt-out list (-RequireOptOutList) could not get one: the receiver is down and none was kept. Nothing sent.</summary>
        public const string OptOutListUnavailable = "SobotOptOutListUnavailable";
        /// <summary>Receive-SobotMessage -Consumer: another reader holds that consumer.</summary>
        public const string ConsumerBusy = "SobotConsumerBusy";
        /// <summary>A listening cmdlet with no receiver connected.</summary>
        public const string NoReceiver = "SobotNoReceiver";
        /// <summary>Wait-SobotReply: no answer within -TimeoutSec.</summary>
        public const string ReplyTimeout = "SobotReplyTimeout";
        /// <summary>Wait-SobotDelivery: the status was not reached within -TimeoutSec.</summary>
        public const string DeliveryTimeout = "SobotDeliveryTimeout";
        /// <summary>Wait-SobotDelivery: WhatsApp reported the message failed.</summary>
        public const string DeliveryFailed = "SobotDeliveryFailed";
        /// <summary>The number opted out: nothing sent, counted as skipped.</summary>
        public const string OptedOut = "SobotOptedOut";
        /// <summary>A free-form message to a number whose 24-hour window is closed: nothing sent.</summary>
        public const string WindowClosed = "SobotWindowClosed";
        /// <summary>Start-SobotReceiver could not start the receiver.</summary>
        public const string ReceiverStartFailed = "SobotReceiverStartFailed";
        /// <summary>Start-SobotReceiver found no dotnet, or one without the .NET runtimes the receiver needs: nothing started.</summary>
        public const string ReceiverRuntimeMissing = "SobotReceiverRuntimeMissing";
        /// <summary>Get-SobotReceiver -Path found no receiver there; Stop-SobotReceiver -ProcessId names no receiver this user started.</summary>
        public const string ReceiverNotFound = "SobotReceiverNotFound";
        /// <summary>Stop-SobotReceiver could not stop it (another account's process: stop a service through its service manager).</summary>
        public const string ReceiverStopFailed = "SobotReceiverStopFailed";
        /// <summary>A 3xx answer: not followed, since the keys would go along.</summary>
        public const string Redirected = "SobotRedirectRefused";
        /// <summary>Connect-Sobot -ReceiverUri (or SOBOT_RECEIVER_URI) given the receiver's webhook URL, which belongs in the Sobot portal; the message masks its token.</summary>
        public const string ReceiverUriIsWebhookUrl = "SobotReceiverUriIsWebhookUrl";
        /// <summary>A file or folder refused for its owner, its mode or a symbolic link (another user could read, change or plant it); the message gives the fix.</summary>
        public const string UnsafePath = "SobotUnsafePath";
    }

    internal static class SobotErrors
    {
        public static ErrorRecord FromApi(SobotApiException ex, object? target)
        {
            switch (ex.Kind)
            {
                case SobotErrorKind.Unauthorized: return Record(ex, SobotErrorIds.Unauthorized, ErrorCategory.AuthenticationError, target);
                case SobotErrorKind.BadRequest: return Record(ex, SobotErrorIds.BadRequest, ErrorCategory.InvalidArgument, target);
                case SobotErrorKind.Forbidden: return Record(ex, SobotErrorIds.Forbidden, ErrorCategory.PermissionDenied, target);
                case SobotErrorKind.NotFound: return Record(ex, SobotErrorIds.NotFound, ErrorCategory.ObjectNotFound, target);
                case SobotErrorKind.RateLimited: return Record(ex, SobotErrorIds.RateLimited, ErrorCategory.LimitsExceeded, target);
                case SobotErrorKind.Unavailable: return Record(ex, SobotErrorIds.Unavailable, ErrorCategory.ResourceUnavailable, target);
                case SobotErrorKind.ServerError: return Record(ex, SobotErrorIds.OutcomeUnknown, ErrorCategory.InvalidResult, target);
                case SobotErrorKind.Transport:
                    return ex.OutcomeUnknown && (ex.Method == "POST" || ex.Method == "PUT")
                        ? Record(ex, SobotErrorIds.OutcomeUnknown, ErrorCategory.ConnectionError, target)
                        : Record(ex, SobotErrorIds.ConnectionFailed, ErrorCategory.ConnectionError, target);
                case SobotErrorKind.Redirected: return Record(ex, SobotErrorIds.Redirected, ErrorCategory.SecurityError, target);
                default:
                    return ex.OutcomeUnknown && (ex.Method == "POST" || ex.Method == "PUT")
                        ? Record(ex, SobotErrorIds.OutcomeUnknown, ErrorCategory.InvalidResult, target)
                        : Record(ex, SobotErrorIds.UnexpectedResponse, ErrorCategory.InvalidResult, target);
            }
        }

        public static ErrorRecord FromValidation(SobotValidationException ex, object? target)
        {
            if (ex.Field != "customer_number" && ex.Field != "mobile")
                return Record(ex, SobotErrorIds.InvalidInput, ErrorCategory.InvalidArgument, target);
            var record = Record(ex, SobotErrorIds.InvalidCustomerNumber, ErrorCategory.InvalidArgument, target);
            record.ErrorDetails = new ErrorDetails(ex.Message)
            {
                RecommendedAction = "Write the number with its country code (919970585556), or give national numbers a region: Connect-Sobot -DefaultRegion IN.",
            };
            return record;
        }

        public static ErrorRecord FromTemplate(SobotTemplateException ex, object? target)
        {
            switch (ex.Problem)
            {
                case SobotTemplateProblem.NotFound: return Record(ex, SobotErrorIds.TemplateNotFound, ErrorCategory.ObjectNotFound, target);
                case SobotTemplateProblem.AmbiguousLanguage: return Record(ex, SobotErrorIds.TemplateLanguageAmbiguous, ErrorCategory.InvalidArgument, target);
                case SobotTemplateProblem.NotApproved: return Record(ex, SobotErrorIds.TemplateNotApproved, ErrorCategory.InvalidOperation, target);
                default: return Record(ex, SobotErrorIds.TemplateParameterMismatch, ErrorCategory.InvalidArgument, target);
            }
        }

        /// <summary>A refused file or folder: SecurityError, the path as the target, the fix as the recommended action.</summary>
        public static ErrorRecord FromUnsafePath(UnsafePathException ex)
        {
            var record = new ErrorRecord(ex, SobotErrorIds.UnsafePath, ErrorCategory.SecurityError, ex.Path);
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.Fix };
            return record;
        }

        public static ErrorRecord Record(Exception ex, string errorId, ErrorCategory category, object? target)
        {
            var record = new ErrorRecord(ex, errorId, category, target);
            if (ex is SobotApiException api && !string.IsNullOrEmpty(api.SobotMessage))
                record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = Recommend(api) };
            return record;
        }

        private static string Recommend(SobotApiException ex)
        {
            switch (ex.Kind)
            {
                case SobotErrorKind.Unauthorized: return "Generate a new key pair in the Sobot portal and run Connect-Sobot again.";
                case SobotErrorKind.RateLimited: return "Send more slowly or try again later.";
                case SobotErrorKind.ServerError: return "Check whether the customer received the message before sending it again.";
                default: return string.Empty;
            }
        }
    }
}
