using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends a JPEG or PNG image by public URL, with an optional caption.</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotImageMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotImageMessageCommand : SendCaptionedMediaCmdlet
    {
        protected override MediaKind Media => MediaKind.Image;

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            string url = AbsoluteUrl;
            return MediaMessageRequest.Image(customerNumber, customerName, url, ResolveMimeType(url), Caption);
        }
    }
}
