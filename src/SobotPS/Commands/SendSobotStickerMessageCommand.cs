using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends a WebP sticker (static at most 100 KB, animated at most 500 KB) by public URL.</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotStickerMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotStickerMessageCommand : SendMediaMessageCmdlet
    {
        protected override MediaKind Media => MediaKind.Sticker;

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            string url = AbsoluteUrl;
            // A sticker is always image/webp: a URL without an extension is taken as one, another extension is refused.
            string mime = HasExtension(url) ? ResolveMimeType(url) : "image/webp";
            return MediaMessageRequest.Sticker(customerNumber, customerName, url, mime);
        }

        private static bool HasExtension(string url)
        {
            string path = new System.Uri(url).AbsolutePath;
            return path.LastIndexOf('.') > path.LastIndexOf('/');
        }
    }
}
