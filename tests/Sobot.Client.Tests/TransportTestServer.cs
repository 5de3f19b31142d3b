using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Sobot.Client.Tests
{
    /// <summary>
    /// A loopback TCP server for the transport tests, written for .NET Framework (Mono) as well as .NET: one
    /// thread per connection, blocking reads, nothing newer than .NET Framework 4.7.2 has. What it does with a
    /// connection is up to the test (answer, stall, answer garbage to a TLS ClientHello...).
    /// </summary>
    public sealed class TransportTestServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly Action<Connection> _serve;
        private readonly List<TcpClient> _clients = new List<TcpClient>();
        private readonly List<string> _heads = new List<string>();
        private readonly Thread _acceptor;
        private volatile bool _stopped;
        private int _connections;

        public TransportTestServer(Action<Connection> serve)
        {
            _serve = serve;
            _listener.Start();
            _acceptor = new Thread(AcceptLoop) { IsBackground = true, Name = "transport test server" };
            _acceptor.Start();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Uri HttpUri => new Uri("http://127.0.0.1:" + Port + "/");

        public Uri HttpsUri => new Uri("https://127.0.0.1:" + Port + "/");

        /// <summary>TCP connections accepted so far.</summary>
        public int Connections => Volatile.Read(ref _connections);

        /// <summary>Request heads (request line and headers) read so far with <see cref="Connection.ReadRequest"/>.</summary>
        public IList<string> Heads { get { lock (_heads) return _heads.ToArray(); } }

        /// <summary>
        /// A loopback port nothing listens on: bound and never listening until disposed, so no other process can take it
        /// meanwhile (as a port bound, released and then used could be), and a connection to it is refused.
        /// </summary>
        public static Socket ClosedPort(out int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            return socket;
        }

        public static byte[] Response(int status, string body, bool close = true)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var head = "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.Length + "\r\n" + (close ? "Connection: close\r\n" : string.Empty) + "\r\n";
            var all = new byte[Encoding.ASCII.GetByteCount(head) + bytes.Length];
            int n = Encoding.ASCII.GetBytes(head, 0, head.Length, all, 0);
            Buffer.BlockCopy(bytes, 0, all, n, bytes.Length);
            return all;
        }

        private void AcceptLoop()
        {
            while (!_stopped)
            {
                TcpClient client;
                try { client = _listener.AcceptTcpClient(); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _connections);
                lock (_clients)
                {
                    if (_stopped) { client.Close(); return; }
                    _clients.Add(client);
                }
                var thread = new Thread(() =>
                {
                    try { _serve(new Connection(this, client)); }
                    catch (Exception) { /* the client went away or the server stopped */ }
                    finally { client.Close(); }
                }) { IsBackground = true, Name = "transport test connection" };
                thread.Start();
            }
        }

        public void Dispose()
        {
            _stopped = true;
            _listener.Stop();
            lock (_clients)
            {
                foreach (var client in _clients) client.Close();
                _clients.Clear();
            }
        }

        /// <summary>One accepted connection.</summary>
        public sealed class Connection
        {
            private readonly TransportTestServer _server;

            internal Connection(TransportTestServer server, TcpClient client)
            {
                _server = server;
                Client = client;
                Stream = client.GetStream();
            }

            public TcpClient Client { get; }

            public NetworkStream Stream { get; }

            /// <summary>Reads one request (head and a Content-Length body); null when the client closed first.</summary>
            public string? ReadRequest()
            {
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    if (Stream.Read(one, 0, 1) <= 0) return null;
                    head.Append((char)one[0]);
                }
                string text = head.ToString();
                lock (_server._heads) _server._heads.Add(text);
                int length = 0;
                foreach (var line in text.Split(new[] { "\r\n" }, StringSplitOptions.None))
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        length = int.Parse(line.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (text.IndexOf("Expect: 100-continue", StringComparison.OrdinalIgnoreCase) >= 0)
                    Write(Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n"));
                var body = new byte[length];
                int read = 0;
                while (read < length)
                {
                    int n = Stream.Read(body, read, length - read);
                    if (n <= 0) break;
                    read += n;
                }
                return text;
            }

            public void Write(byte[] bytes)
            {
                Stream.Write(bytes, 0, bytes.Length);
                Stream.Flush();
            }

            /// <summary>Reads whatever the client sent first (a TLS ClientHello, say), up to 4 KB.</summary>
            public int ReadSome()
            {
                var buffer = new byte[4096];
                try { return Stream.Read(buffer, 0, buffer.Length); }
                catch (IOException) { return 0; }
            }
        }
    }
}
