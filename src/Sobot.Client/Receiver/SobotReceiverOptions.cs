using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;

namespace Sobot.Client.Receiver
{
    /// <summary>How to reach a webhook receiver's query API (docs/receiver.md).</summary>
    public sealed class SobotReceiverOptions
    {
        /// <exception cref="ArgumentException">
        /// <paramref name="queryUri"/> is the receiver's webhook URL (the message masks its token), or the key is empty or
        /// holds a control character or whitespace (the rule of the Sobot keys, <see cref="PrintableKey"/>): refused before
        /// anything is sent.
        /// </exception>
        public SobotReceiverOptions(Uri queryUri, SecureString key)
        {
            QueryUri = queryUri ?? throw new ArgumentNullException(nameof(queryUri));
            if (!queryUri.IsAbsoluteUri) throw new ArgumentException("The receiver's query URI must be absolute.", nameof(queryUri));
            if (ReceiverUrls.IsWebhookUrl(queryUri)) throw new ArgumentException(ReceiverUrls.WebhookGivenAsQueryUrl(queryUri), nameof(queryUri));
            if (key is null || key.Length == 0) throw new ArgumentException("The receiver's query key is empty.", nameof(key));
            var notices = new List<string>();
            string given = SecureText.Reveal(key);
            string clean = PrintableKey.Clean(given, "receiver's query key", nameof(key), "the receiver's query-key file (or its ready line)", notices);
            Key = clean.Length == given.Length ? key.Copy() : SecureText.Secure(clean);
            if (!Key.IsReadOnly()) Key.MakeReadOnly();
            Notices = notices;
        }

        public Uri QueryUri { get; }

        /// <summary>The x-receiver-key value; revealed only while a request's headers are written.</summary>
        public SecureString Key { get; }

        /// <summary>What was trimmed from the key (never the key itself), for the caller to pass on as a warning.</summary>
        public IReadOnlyList<string> Notices { get; }

        /// <summary>How long a plain call may take; a long poll adds its own wait to it.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        public bool SkipCertificateCheck { get; set; }

        /// <summary>Replaces the default handler (tests).</summary>
        public HttpMessageHandler? Handler { get; set; }
    }
}
