using System;
using System.Net.Http;
using System.Security;

namespace Sobot.Client.Receiver
{
    /// <summary>How to reach a webhook receiver's query API (docs/receiver.md).</summary>
    public sealed class SobotReceiverOptions
    {
        public SobotReceiverOptions(Uri queryUri, SecureString key)
        {
            QueryUri = queryUri ?? throw new ArgumentNullException(nameof(queryUri));
            if (!queryUri.IsAbsoluteUri) throw new ArgumentException("The receiver's query URI must be absolute.", nameof(queryUri));
            if (key is null || key.Length == 0) throw new ArgumentException("The receiver's query key is empty.", nameof(key));
            Key = key.Copy();
            Key.MakeReadOnly();
        }

        public Uri QueryUri { get; }

        /// <summary>The x-receiver-key value; revealed only while a request's headers are written.</summary>
        public SecureString Key { get; }

        /// <summary>How long a plain call may take; a long poll adds its own wait to it.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        public bool SkipCertificateCheck { get; set; }

        /// <summary>Replaces the default handler (tests).</summary>
        public HttpMessageHandler? Handler { get; set; }
    }
}
