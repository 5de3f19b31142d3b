using System;
using System.Management.Automation;
using Sobot.Client.Models.Requests;
using Sobot.Client.Validation;

namespace SobotPS.Commands
{
    /// <summary>Sends a JPEG or PNG image by public URL, with an optional caption.</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotImageMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotImageMessageCommand : SendMessageCmdlet
    {
        /// <summary>A public http(s) URL Sobot and Meta can fetch; at most 5 MB.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ImageUrl", "Link")]
        public Uri? Url { get; set; }

        /// <summary>image/jpeg or image/png; inferred from the URL's extension when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("mime_type")]
        [ArgumentCompleter(typeof(Completers.ImageMimeTypeCompleter))]
        public string? MimeType { get; set; }

        /// <summary>Up to 1024 characters.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? Caption { get; set; }

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            string url = Url?.IsAbsoluteUri == true ? Url.AbsoluteUri : Url?.OriginalString ?? string.Empty;
            Check.HttpUrl(url, "url");
            return new ImageMessageRequest(customerNumber, customerName, url, MediaTypes.Resolve(url, MimeType, MediaTypes.Image), Caption);
        }
    }
}
