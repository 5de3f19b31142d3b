using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Http
{
    /// <summary>
    /// The one way both HTTP clients (the Sobot API's and the webhook receiver's) get their handler, so that
    /// .NET Framework (Windows PowerShell 5.1), Mono and .NET behave alike: no redirects (the keys would go
    /// along), no cookies, TLS 1.2 at least, no <c>Expect: 100-continue</c>, and as many connections to one host
    /// as a bulk run needs (.NET Framework's default is 2). docs/design.md, "Transport on .NET Framework", says why
    /// each setting is what it is.
    /// </summary>
    internal static class SobotHttpHandler
    {
        /// <summary>Connections to one host at once: as many as a bulk run may have in flight, like .NET's unlimited default without being unbounded.</summary>
        internal const int MaximumConnectionsPerServer = AdaptiveConcurrency.DefaultMaximum;

        /// <summary>TLS 1.3's value in <see cref="SslProtocols"/> and <see cref="SecurityProtocolType"/>; netstandard2.0 does not name it.</summary>
        internal const SslProtocols Tls13 = (SslProtocols)12288;

        public static HttpMessageHandler Create(Uri? proxy, ICredentials? proxyCredential, bool skipCertificateCheck) =>
            Wrap(NewHandler?.Invoke() ?? new HttpClientHandler(), proxy, proxyCredential, skipCertificateCheck, OverHttpWebRequest, CurrentProcessProtocols());

        /// <summary>
        /// Null except in the .NET Framework test leg, which runs under Mono: there it builds Mono's HttpWebRequest-based
        /// handler (the design .NET Framework's HttpClientHandler has), where Mono's own default wraps a port of .NET's
        /// SocketsHttpHandler. Everything else <see cref="Create"/> does stays as it is.
        /// </summary>
        internal static Func<HttpClientHandler>? NewHandler { get; set; }

        /// <summary><see cref="Configure"/>, then the per-request settings on top (tests pass a handler built on another stack).</summary>
        internal static HttpMessageHandler Wrap(HttpClientHandler handler, Uri? proxy, ICredentials? proxyCredential, bool skipCertificateCheck,
            bool overHttpWebRequest, SecurityProtocolType processProtocols)
        {
            bool limited = Configure(handler, proxy, proxyCredential, skipCertificateCheck, overHttpWebRequest, processProtocols);
            return new TransportDefaults(handler, raiseServicePointLimit: !limited, handler.UseProxy ? handler.Proxy : null);
        }

        /// <summary>
        /// Sets up <paramref name="handler"/> (tests pass one built on another stack). <paramref name="overHttpWebRequest"/>
        /// says the runtime's handler is the .NET Framework/Mono design whose TLS default comes from
        /// <see cref="ServicePointManager.SecurityProtocol"/>, given as <paramref name="processProtocols"/>. False when the
        /// handler cannot take a connection limit (Mono's HttpWebRequest handler): the host's ServicePoint then gets it per request.
        /// </summary>
        internal static bool Configure(HttpClientHandler handler, Uri? proxy, ICredentials? proxyCredential, bool skipCertificateCheck,
            bool overHttpWebRequest, SecurityProtocolType processProtocols)
        {
            handler.UseCookies = false;
            handler.AllowAutoRedirect = false;
            // On .NET Framework this becomes the host's ServicePoint.ConnectionLimit (default 2), on .NET and Mono the pool's limit.
            bool limited = true;
            try
            {
                handler.MaxConnectionsPerServer = MaximumConnectionsPerServer;
            }
            catch (Exception ex) when (ex is NotImplementedException || ex is PlatformNotSupportedException)
            {
                limited = false;
            }
            if (proxy != null)
            {
                handler.UseProxy = true;
                handler.Proxy = new WebProxy(proxy) { Credentials = proxyCredential, BypassProxyOnLocal = false };
            }
            if (skipCertificateCheck)
                handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true;
            var protocols = RequestedProtocols(overHttpWebRequest, processProtocols);
            if (protocols != SslProtocols.None)
            {
                try
                {
                    handler.SslProtocols = protocols;
                }
                catch (NotSupportedException) when ((protocols & Tls13) != 0)
                {
                    // .NET Framework 4.7.2's handler accepts only TLS 1.0-1.2 here (4.8 adds 1.3).
                    handler.SslProtocols = SslProtocols.Tls12;
                }
            }
            return limited;
        }

        /// <summary>
        /// The TLS versions to ask for. On .NET: none named (the operating system's default, TLS 1.2 and 1.3 where the
        /// system has it; naming 1.3 has been seen to break handshakes on Windows). On .NET Framework and Mono:
        /// the process's own choice when it defers to the system (<see cref="SecurityProtocolType.SystemDefault"/>,
        /// an application built for 4.7+ or the SystemDefaultTlsVersions registry value), otherwise TLS 1.2, plus
        /// 1.3 only if the process already allows it, never anything older: Windows PowerShell's process list
        /// is SSL 3 and TLS 1.0 on a machine not set up for strong crypto.
        /// </summary>
        internal static SslProtocols RequestedProtocols(bool overHttpWebRequest, SecurityProtocolType processProtocols)
        {
            if (!overHttpWebRequest || processProtocols == 0) return SslProtocols.None;
            return SslProtocols.Tls12 | ((SslProtocols)(int)processProtocols & Tls13);
        }

        /// <summary>
        /// True on .NET Framework, whose HttpClient takes its TLS default from ServicePointManager, and on Mono, which keeps
        /// that design (its process default is SystemDefault: nothing is named there unless a script set a list).
        /// </summary>
        internal static bool OverHttpWebRequest { get; } =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase)
            || Type.GetType("Mono.Runtime") != null;

        private static SecurityProtocolType CurrentProcessProtocols()
        {
            try
            {
                return ServicePointManager.SecurityProtocol;
            }
            catch (PlatformNotSupportedException)
            {
                return 0;
            }
        }

        /// <summary>
        /// What is set on each request. <c>Expect: 100-continue</c> off: .NET Framework's handler leaves the host's
        /// ServicePoint default (on) unless the request says false, costing one more round trip per POST, or a 350 ms
        /// stall when a server or proxy never answers the 100. And, where the handler could not take the connection
        /// limit, the host's ServicePoint gets it (its default is 2).
        /// </summary>
        internal sealed class TransportDefaults : DelegatingHandler
        {
            private readonly bool _raiseServicePointLimit;
            private readonly IWebProxy? _proxy;

            public TransportDefaults(HttpMessageHandler inner) : base(inner) { }

            /// <summary><paramref name="proxy"/>: the handler's own proxy (null: the system's), which the ServicePoint is kept for.</summary>
            internal TransportDefaults(HttpMessageHandler inner, bool raiseServicePointLimit, IWebProxy? proxy) : base(inner)
            {
                _raiseServicePointLimit = raiseServicePointLimit;
                _proxy = proxy;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                request.Headers.ExpectContinue = false;
                if (_raiseServicePointLimit && request.RequestUri != null)
                {
                    var point = _proxy is null ? ServicePointManager.FindServicePoint(request.RequestUri) : ServicePointManager.FindServicePoint(request.RequestUri, _proxy);
                    if (point.ConnectionLimit < MaximumConnectionsPerServer) point.ConnectionLimit = MaximumConnectionsPerServer;
                }
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
