using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends an MP4 or 3GP video (H.264 + AAC, at most 16 MB) by public URL, with an optional caption.</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotVideoMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotVideoMessageCommand : SendCaptionedMediaCmdlet
    {
        protected override MediaKind Media => MediaKind.Video;

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            string url = AbsoluteUrl;
            return MediaMessageRequest.Video(customerNumber, customerName, url, ResolveMimeType(url), Caption);
        }
    }
}
