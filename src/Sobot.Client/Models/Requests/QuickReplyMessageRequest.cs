using System.Collections.Generic;
using System.Linq;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary><c>type: quick_reply</c>: 1 to 3 unique buttons of 1 to 20 characters.</summary>
    public sealed class QuickReplyMessageRequest : InteractiveMessageRequest
    {
        public const int MaxButtons = 3;
        public const int MaxButtonLength = 20;

        public QuickReplyMessageRequest(string customerNumber, string customerName, string message, IEnumerable<string> buttons, string? header, string? caption)
            : base(customerNumber, customerName, message, header, caption)
        {
            Buttons = buttons.ToList();
        }

        [System.Text.Json.Serialization.JsonPropertyOrder(-8)]
        public string Type => "quick_reply";

        public IReadOnlyList<string> Buttons { get; }

        protected override string Kind => Type;

        protected override void ValidateInteractive()
        {
            Check.Buttons(Buttons, MaxButtons, MaxButtonLength, "buttons");
        }
    }
}
