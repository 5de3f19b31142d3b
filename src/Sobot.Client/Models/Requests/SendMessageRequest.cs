using System.Text.Json.Serialization;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary>A body for <c>POST /message/</c>. Subclasses add the fields of one message kind.</summary>
    public abstract class SendMessageRequest
    {
        protected SendMessageRequest(string customerNumber, string customerName)
        {
            CustomerNumber = customerNumber;
            CustomerName = customerName;
        }

        // The contract's examples put the customer first; order does not matter to JSON but helps people reading -Debug.
        [JsonPropertyOrder(-10)]
        public string CustomerNumber { get; }

        [JsonPropertyOrder(-9)]
        public string CustomerName { get; }

        /// <summary>What the result reports as MessageType: the wire <c>type</c>, or "template".</summary>
        [JsonIgnore]
        public string MessageType => Kind;

        /// <summary>Protected, so the serializer never puts it on the wire.</summary>
        protected abstract string Kind { get; }

        /// <summary>Checks every documented limit; throws <see cref="SobotValidationException"/>.</summary>
        public void Validate()
        {
            Check.PhoneDigits(CustomerNumber, "customer_number");
            Check.Required(CustomerName, "customer_name");
            ValidateContent();
        }

        protected abstract void ValidateContent();

        /// <summary>A one-line account of what would be sent, for -WhatIf and logs (never keys).</summary>
        public virtual string Describe() => $"a {Kind} message";

        /// <summary>A value shortened for a one-line description.</summary>
        protected static string Preview(string? text, int max = 60)
        {
            if (text is null) return string.Empty;
            string flat = text.Replace("\r", " ").Replace("\n", " ");
            return flat.Length <= max ? flat : flat.Substring(0, max - 3) + "...";
        }
    }
}
