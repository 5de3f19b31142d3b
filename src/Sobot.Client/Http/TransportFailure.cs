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
        /// True when the failure happened while connecting (refused, unreachable, name not found, TLS
        /// handshake): the request never left, so retrying cannot double it. Anything else, such as a reset
        /// or a connection closed while waiting for the answer, may have been processed; so is a bare
        /// <see cref="System.Net.Http.HttpRequestException"/> that says nothing more.
        /// </summary>
        /// <remarks>
        /// Two shapes: .NET (and Mono's default handler) give a <see cref="SocketException"/> or an
        /// <see cref="AuthenticationException"/> inside the HttpRequestException; .NET Framework's handler (and
        /// Mono's HttpWebRequest) give a <see cref="WebException"/> whose <see cref="WebException.Status"/> names
        /// the stage, often with no inner exception at all (a name that does not resolve).
        /// </remarks>
        public static bool BeforeSending(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException) return true;
                if (BeforeSendingOnNet(e)) return true;
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
                // The TLS handshake failed (SecureChannelFailure) or the server's certificate was refused
                // (TrustFailure): both before the first byte of the request.
                case WebExceptionStatus.SecureChannelFailure:
                case WebExceptionStatus.TrustFailure:
                    return true;
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

        /// <summary>
        /// .NET 8+ says on the HttpRequestException which stage failed (HttpRequestError, not in netstandard2.0, so
        /// read by name): a name that did not resolve, or a TLS handshake that failed even when its inner exception is
        /// only an IOException (the server closed the connection during the handshake).
        /// </summary>
        private static bool BeforeSendingOnNet(Exception e)
        {
            if (!(e is System.Net.Http.HttpRequestException)) return false;
            var property = e.GetType().GetProperty("HttpRequestError");
            if (property is null || !property.PropertyType.IsEnum) return false;
            string? stage = property.GetValue(e)?.ToString();
            return stage == "NameResolutionError" || stage == "SecureConnectionError";
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
