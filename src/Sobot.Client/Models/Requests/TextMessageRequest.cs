using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary><c>type: text</c>: up to 4096 characters, URLs previewed, WhatsApp formatting allowed.</summary>
    public sealed class TextMessageRequest : SendMessageRequest
    {
        public const int MaxMessageLength = 4096;

        public TextMessageRequest(string customerNumber, string customerName, string message)
            : base(customerNumber, customerName)
        {
            Message = message;
        }

        [System.Text.Json.Serialization.JsonPropertyOrder(-8)]
        public string Type => "text";

        public string Message { get; }

        protected override string Kind => Type;

        public override string Describe() => $"a text message '{Preview(Message)}'";

        protected override void ValidateContent() => Check.RequiredMaxLength(Message, MaxMessageLength, "message");
    }
}
