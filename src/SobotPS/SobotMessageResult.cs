using System;
using System.Management.Automation;

namespace SobotPS
{
    /// <summary>One message Sobot accepted.</summary>
    public sealed class SobotMessageResult
    {
        public SobotMessageResult(string messageId, string status, string customerNumber, string customerName, string messageType, string? templateName, DateTimeOffset submittedAt, object? inputObject, bool fellBackToTemplate = false)
        {
            FellBackToTemplate = fellBackToTemplate;
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

        /// <summary>When the request Sobot accepted went out (this machine's clock): Wait-SobotReply counts answers from it.</summary>
        public DateTimeOffset SubmittedAt { get; }

        /// <summary>The number's 24-hour window was closed, so -FallbackTemplate went instead of the free-form message.</summary>
        public bool FellBackToTemplate { get; }

        /// <summary>
        /// The pipeline object this message was made from (e.g. the CSV row). Hidden from tables and from
        /// Export-Csv, which get the row's columns as properties of their own instead (see <see cref="ToPSObject"/>).
        /// </summary>
        [Hidden]
        public object? InputObject { get; }

        /// <summary>
        /// The result as the pipeline gets it: the input row's columns (those whose names the result does not
        /// use) are added as properties, so <c>Export-Csv</c> writes them as columns rather than "@{Phone=…}".
        /// </summary>
        public static PSObject ToPSObject(SobotMessageResult result)
        {
            var wrapped = PSObject.AsPSObject(result);
            if (result.InputObject is PSObject input && input.BaseObject is PSCustomObject)
                foreach (var property in input.Properties)
                    if (wrapped.Properties[property.Name] is null)
                        wrapped.Properties.Add(new PSNoteProperty(property.Name, property.Value));
            return wrapped;
        }
    }
}
