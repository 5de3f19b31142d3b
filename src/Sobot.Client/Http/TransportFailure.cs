using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Sobot.Client.Http
{
    /// <summary>Tells a connection that never carried the request from one that failed after sending it.</summary>
    internal static class TransportFailure
    {
        /// <summary>
        /// True only with evidence that the failure happened while connecting (refused, unreachable, name not
        /// found, TLS handshake): the request never left, so retrying cannot double it. Anything else, such as a
        /// reset, a connection closed while waiting for the answer, or a TLS error while reading the answer, may
        /// have been processed; so is a bare <see cref="System.Net.Http.HttpRequestException"/> that says nothing more.
        /// </summary>
        /// <remarks>
        /// .NET 8+ names the stage on the HttpRequestException (HttpRequestError): where that property exists it alone
        /// decides (<see cref="ByRequestError"/>). Without it (Mono, .NET Framework) the chain is read: a
        /// <see cref="SocketException"/> or an <see cref="AuthenticationException"/> inside (Mono's default handler),
        /// or a <see cref="WebException"/> whose <see cref="WebException.Status"/> names the stage (.NET Framework's
        /// handler and Mono's HttpWebRequest), often with no inner exception at all (a name that does not resolve).
        /// </remarks>
        public static bool BeforeSending(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                bool? decided = ByRequestError(e);
                if (decided.HasValue) return decided.Value;
            }
            return ByChain(exception);
        }

        /// <summary>The reading where no HttpRequestException says its stage (netstandard2.0 on .NET Framework and Mono).</summary>
        internal static bool ByChain(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException) return true;
                if (e is WebException web) return BeforeSending(web);
                if (e is SocketException socket) return ConnectError(socket.SocketErrorCode, connecting: false);
            }
            return false;
        }

        private static bool BeforeSending(WebException web)
        {
            switch (web.Status)
            {
                case WebExceptionStatus.NameResolutionFailure:
                case WebExceptionStatus.ProxyNameResolutionFailure:
                    return true;
                case WebExceptionStatus.SecureChannelFailure:
                case WebExceptionStatus.TrustFailure:
                    // .NET Framework's TlsStream gives SecureChannelFailure to any read or write whose security status
                    // is not OK, a renegotiation failing while the answer is read too: the status alone is no proof.
                    // The handshake's failure carries an AuthenticationException (.NET Framework, and Mono's
                    // HttpWebRequest whether the server answered something that is not TLS or closed the connection).
                    return HandshakeFailed(web.InnerException);
                case WebExceptionStatus.ConnectFailure:
                    // Only when the connect itself failed: .NET Framework and Mono attach the connect's
                    // SocketException; anything else under this status is not taken as proof.
                    for (var e = web.InnerException; e != null; e = e.InnerException)
                        if (e is SocketException socket) return ConnectError(socket.SocketErrorCode, connecting: true);
                    return false;
                default:
                    return false;
            }
        }

        private static bool HandshakeFailed(Exception? inner)
        {
            for (var e = inner; e != null; e = e.InnerException)
                if (e is AuthenticationException) return true;
            return false;
        }

        /// <summary>
        /// .NET 8+ says on the HttpRequestException which stage failed (HttpRequestError, not in netstandard2.0, so read
        /// by name). Null where the property does not exist. A name that did not resolve or a TLS handshake that failed
        /// (even when its inner exception is only an IOException): not sent. A connection error: not sent only with a
        /// connect's socket error inside. Anything else (ResponseEnded, Unknown, ...): may have been sent, whatever
        /// lies deeper in the chain (an AuthenticationException or a HostUnreachable there proves nothing then).
        /// </summary>
        internal static bool? ByRequestError(Exception e)
        {
            if (!(e is System.Net.Http.HttpRequestException)) return null;
            var property = e.GetType().GetProperty("HttpRequestError");
            if (property is null || !property.PropertyType.IsEnum) return null;
            switch (property.GetValue(e)?.ToString())
            {
                case "NameResolutionError":
                case "SecureConnectionError":
                    return true;
                case "ConnectionError":
                    for (var inner = e.InnerException; inner != null; inner = inner.InnerException)
                        if (inner is SocketException socket) return ConnectError(socket.SocketErrorCode, connecting: true);
                    return false;
                default:
                    return false;
            }
        }

        /// <summary>Socket errors that only a connect attempt produces (a time-out too, when it is known to be the connect's).</summary>
        private static bool ConnectError(SocketError error, bool connecting)
        {
            switch (error)
            {
                case SocketError.ConnectionRefused:
                case SocketError.HostNotFound:
                case SocketError.HostUnreachable:
                case SocketError.NetworkUnreachable:
                case SocketError.NetworkDown:
                case SocketError.TryAgain:
                case SocketError.NoData:
                case SocketError.AddressNotAvailable:
                    return true;
                case SocketError.TimedOut:
                    return connecting;
                default:
                    return false;
            }
        }
    }
}
