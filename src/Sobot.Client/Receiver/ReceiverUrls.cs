using System;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// The receiver has two URLs that are easy to mix up: the webhook URL (<c>…/webhook/&lt;token&gt;</c>, which goes into
    /// Sobot's portal and whose last segment is the secret token) and the query API's URL (what the cmdlets read from).
    /// Wherever a receiver URL is shown, it is shown through <see cref="Mask(Uri)"/>, so a webhook URL given in the wrong
    /// place never prints its token.
    /// </summary>
    public static class ReceiverUrls
    {
        private const string WebhookSegment = "webhook";

        /// <summary>True when the path holds <c>/webhook/&lt;something&gt;</c>: the receiver's ingress, token included.</summary>
        public static bool IsWebhookUrl(Uri? uri) => uri != null && uri.IsAbsoluteUri && TokenSegment(uri.AbsolutePath) >= 0;

        /// <summary>
        /// The URL as messages may show it: without user information, without query or fragment, and with the segment after
        /// <c>/webhook/</c> masked to its last four characters (as <c>WebhookUrlMasked</c> shows it).
        /// </summary>
        public static string Mask(Uri? uri)
        {
            if (uri is null) return string.Empty;
            if (!uri.IsAbsoluteUri) return MaskPath(uri.OriginalString);
            var shown = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty };
            string left = shown.Uri.GetLeftPart(UriPartial.Authority);
            return left + MaskPath(shown.Uri.AbsolutePath);
        }

        /// <summary>The same for a URL given as text (an environment variable, say), whether it parses or not.</summary>
        public static string Mask(string? text)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            return Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri) ? Mask(uri) : MaskPath(text);
        }

        /// <summary>Why a webhook URL does not belong where a query URL is asked for, and where each goes; the token masked.</summary>
        public static string WebhookGivenAsQueryUrl(Uri uri) =>
            $"{Mask(uri)} is the receiver's webhook URL: its last segment is the secret token, and it belongs in the Sobot portal, where Sobot posts events. " +
            "Queries go to the receiver's query API, which has a URL of its own on another port (queryUrl in the receiver's ready line; http://127.0.0.1:8081 by default) and takes the query key.";

        private static string MaskPath(string path)
        {
            int at = TokenSegment(path);
            if (at < 0) return path;
            int end = path.IndexOfAny(new[] { '/', '?', '#' }, at);
            if (end < 0) end = path.Length;
            return path.Substring(0, at) + SobotCredential.Mask(path.Substring(at, end - at)) + path.Substring(end);
        }

        /// <summary>Where the segment after a <c>webhook</c> segment starts, or -1.</summary>
        private static int TokenSegment(string path)
        {
            // A server may read "/webhook//tok" or "/webhook;x/tok" as "/webhook/tok": empty segments are skipped, and a
            // segment is compared without its ";parameters".
            string[] segments = path.Split('/');
            int offset = 0;
            bool afterWebhook = false;
            for (int i = 0; i < segments.Length; i++)
            {
                string segment = segments[i];
                if (afterWebhook && segment.Length > 0) return offset;
                int parameters = segment.IndexOf(';');
                if (segment.Length > 0) afterWebhook = (parameters < 0 ? segment : segment.Substring(0, parameters)).Equals(WebhookSegment, StringComparison.OrdinalIgnoreCase);
                offset += segment.Length + 1;
            }
            return -1;
        }
    }
}
