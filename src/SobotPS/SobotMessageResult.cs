using System;

namespace SobotPS
{
    /// <summary>One message Sobot accepted.</summary>
    public sealed class SobotMessageResult
    {
        public SobotMessageResult(string messageId, string status, string customerNumber, string customerName, string messageType, string? templateName, DateTimeOffset submittedAt, object? inputObject)
        {
            MessageId = messageId;
            Status = status;
            CustomerNumber = customerNumber;
            CustomerName = customerName;
            MessageType = messageType;
            TemplateName = templateName;
            SubmittedAt = submittedAt;
            InputObject = inputObject;
        }

        /// <summary>The WhatsApp message id (wamid); status webhooks refer to it.</summary>
        public string MessageId { get; }

        /// <summary>Sobot's status for the message when accepted, e.g. "submitted".</summary>
        public string Status { get; }

        /// <summary>The number as sent: digits, country code first.</summary>
        public string CustomerNumber { get; }

        public string CustomerName { get; }

        /// <summary>text, image, … or template.</summary>
        public string MessageType { get; }

        public string? TemplateName { get; }

        public DateTimeOffset SubmittedAt { get; }

        /// <summary>The pipeline object this message was made from (e.g. the CSV row).</summary>
        public object? InputObject { get; }
    }
}
