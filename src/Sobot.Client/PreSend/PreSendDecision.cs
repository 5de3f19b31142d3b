using System;
using Sobot.Client.Models.Requests;
using Sobot.Client.Receiver;

namespace Sobot.Client.PreSend
{
    /// <summary>What the checks before sending decided for one row, and what the caller may want to say about it.</summary>
    public sealed class PreSendDecision
    {
        private PreSendDecision(PreSendVerdict verdict, SendMessageRequest request, Exception? error, ReceiverOptOut? optOut, bool fellBack, string? templateWarning)
        {
            Verdict = verdict;
            Request = request;
            Error = error;
            OptOut = optOut;
            FellBack = fellBack;
            TemplateWarning = templateWarning;
        }

        internal static PreSendDecision Send(SendMessageRequest request, ReceiverOptOut? optOut, bool fellBack = false, string? templateWarning = null) =>
            new PreSendDecision(PreSendVerdict.Send, request, null, optOut, fellBack, templateWarning);

        internal static PreSendDecision Skip(SendMessageRequest request, ReceiverOptOut optOut, Exception why) =>
            new PreSendDecision(PreSendVerdict.Skip, request, why, optOut, false, null);

        internal static PreSendDecision Refuse(SendMessageRequest request, Exception why, ReceiverOptOut? optOut = null) =>
            new PreSendDecision(PreSendVerdict.Refuse, request, why, optOut, false, null);

        public PreSendVerdict Verdict { get; }

        /// <summary>True when the row goes out (as <see cref="Request"/>).</summary>
        public bool Admitted => Verdict == PreSendVerdict.Send;

        /// <summary>What to send: the row's own message, or the fallback template's (<see cref="FellBack"/>).</summary>
        public SendMessageRequest Request { get; }

        /// <summary>Why it was skipped (<see cref="SobotOptedOutException"/>) or refused (<see cref="SobotWindowClosedException"/>, a template problem).</summary>
        public Exception? Error { get; }

        /// <summary>The number's opt-out when it is on the list: set on a row sent anyway (the run included opted-out numbers).</summary>
        public ReceiverOptOut? OptOut { get; }

        /// <summary>The window was closed and the fallback template goes instead.</summary>
        public bool FellBack { get; }

        /// <summary>Set when the fallback template goes unchecked (the template list could not be read).</summary>
        public string? TemplateWarning { get; }
    }
}
