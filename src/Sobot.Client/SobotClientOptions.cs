using System;
using System.Net.Http;

namespace Sobot.Client
{
    /// <summary>Everything a <see cref="SobotClient"/> needs to reach one Sobot account.</summary>
    public sealed class SobotClientOptions
    {
        /// <summary>The documented production endpoint.</summary>
        public static readonly Uri DefaultBaseUri = new Uri("https://api.sobot.in/");

        public SobotClientOptions(SobotCredential credential)
        {
            Credential = credential ?? throw new ArgumentNullException(nameof(credential));
        }

        public SobotCredential Credential { get; }

        /// <summary>API root; a proxy, a staging host or the local emulator may stand here.</summary>
        public Uri BaseUri { get; set; } = DefaultBaseUri;

        /// <summary>ISO 3166 region (e.g. "IN") used to complete numbers written in national form.</summary>
        public string? DefaultRegion { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>Retries of a request the server certainly did not process (429, 503, not sent).</summary>
        public int MaximumRetryCount { get; set; } = 5;

        /// <summary>The longest Retry-After (429, 503) honoured before a retry; a longer one is cut to this.</summary>
        public TimeSpan MaximumRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The largest response body read: the contract's replies are tiny, so a larger one is an error, not gigabytes of memory.</summary>
        public int MaximumResponseBytes { get; set; } = 4 * 1024 * 1024;

        /// <summary>A hard cap on requests per second for this account; null lets the pacer find the limit.</summary>
        public double? MaxMessagesPerSecond { get; set; }

        public string UserAgent { get; set; } = "Sobot.Client/" + typeof(SobotClientOptions).Assembly.GetName().Version;

        /// <summary>Receives one event per HTTP exchange; called from thread-pool threads.</summary>
        public Action<SobotTraceEvent>? Trace { get; set; }

        /// <summary>An HTTP proxy for every call; null uses the system proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).</summary>
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for <see cref="Proxy"/>.</summary>
        public System.Net.ICredentials? ProxyCredential { get; set; }

        /// <summary>Accepts any server certificate. Only for test hosts with self-signed certificates.</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>Replaces the default handler (tests). The client does not dispose it; Proxy and SkipCertificateCheck are then ignored.</summary>
        public HttpMessageHandler? Handler { get; set; }
    }
}
