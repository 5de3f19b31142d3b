using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary>
    /// What quick-reply, list and product messages share: a body <c>message</c> of at most 1024
    /// characters, an optional <c>header</c> and a <c>caption</c> that WhatsApp renders as the footer.
    /// </summary>
    public abstract class InteractiveMessageRequest : SendMessageRequest
    {
        public const int MaxMessageLength = 1024;
        public const int MaxHeaderLength = 60;
        public const int MaxFooterLength = 60;

        protected InteractiveMessageRequest(string customerNumber, string customerName, string message, string? header, string? caption)
            : base(customerNumber, customerName)
        {
            Message = message;
            Header = string.IsNullOrEmpty(header) ? null : header;
            Caption = string.IsNullOrEmpty(caption) ? null : caption;
        }

        [System.Text.Json.Serialization.JsonPropertyOrder(-7)]
        public string Message { get; }

        [System.Text.Json.Serialization.JsonPropertyOrder(5)]
        public string? Header { get; }

        /// <summary>Rendered as the footer.</summary>
        [System.Text.Json.Serialization.JsonPropertyOrder(6)]
        public string? Caption { get; }

        protected override void ValidateContent()
        {
            Check.RequiredMaxLength(Message, MaxMessageLength, "message");
            Check.MaxLength(Header, MaxHeaderLength, "header");
            // The contract says "no emoji" for the quick-reply header; WhatsApp's interactive header is one
            // kind for buttons, lists and product lists alike, so the rule holds for all of them.
            Check.NoEmoji(Header, "header");
            Check.MaxLength(Caption, MaxFooterLength, "caption");
            ValidateInteractive();
        }

        protected abstract void ValidateInteractive();
    }
}
