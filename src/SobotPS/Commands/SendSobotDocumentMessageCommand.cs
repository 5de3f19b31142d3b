using System;
using System.Linq;
using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends a document (PDF, text, Word, Excel, PowerPoint; at most 100 MB) by public URL.</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotDocumentMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotDocumentMessageCommand : SendCaptionedMediaCmdlet
    {
        /// <summary>The name the customer sees; the URL's last segment when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? FileName { get; set; }

        protected override MediaKind Media => MediaKind.Document;

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            string url = AbsoluteUrl;
            string fileName = string.IsNullOrWhiteSpace(FileName)
                ? Uri.UnescapeDataString(new Uri(url).Segments.LastOrDefault()?.TrimEnd('/') ?? string.Empty)
                : FileName!.Trim();
            return MediaMessageRequest.Document(customerNumber, customerName, url, ResolveMimeType(url), fileName, Caption);
        }
    }
}
