using System;
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
        /// or a connection closed while waiting for the answer, may have been processed.
        /// </summary>
        public static bool BeforeSending(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException) return true;
                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
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
                        default:
                            return false;
                    }
                }
            }
            return false;
        }
    }
}
