using Sobot.Client.Models.Requests;

namespace Sobot.Client.Templates
{
    /// <summary>A template message ready to send, and what the caller should be told about it.</summary>
    public sealed class TemplateSendPlan
    {
        internal TemplateSendPlan(TemplateMessageRequest request, string? warning)
        {
            Request = request;
            Warning = warning;
        }

        public TemplateMessageRequest Request { get; }

        /// <summary>Set when the template list could not be read and the message goes as given, unchecked.</summary>
        public string? Warning { get; }
    }
}
