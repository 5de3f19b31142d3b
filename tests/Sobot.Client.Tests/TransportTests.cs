using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Reflection;
using System.Security;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Http;
using Sobot.Client.Receiver;
using Xunit;

namespace Sobot.Client.Tests
{
    /// <summary>
    /// How calls travel on every runtime the module meets: .NET, and (run under Mono in the .NET Framework leg)
    /// the .NET Framework design. Under Mono both stacks are Mono's HttpWebRequest-based handler, the design .NET
    /// Framework's HttpClient has: the client's own (SobotHttpHandler.Create, which the leg points at that handler, with
    /// Mono's process TLS default), and one set up with Windows PowerShell 5.1's process list (SSL 3 and TLS 1.0).
    /// Portable on purpose: raw TCP servers, nothing newer than .NET Framework 4.7.2.
    /// </summary>
    public sealed class TransportTests : IDisposable
    {
        /// <summary>Long enough for any machine; the calls under test end in seconds when they work.</summary>
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

        /// <summary>The client's timeout where a test waits for it to end a body that never comes.</summary>
        private static readonly TimeSpan StalledBodyTimeout = TimeSpan.FromSeconds(10);

        private readonly List<IDisposable> _owned = new List<IDisposable>();

        public void Dispose()
        {
            foreach (var item in _owned) item.Dispose();
        }

        // ---- what does not reach the server is "not sent" and retried ----

        [Fact]
        public async Task A_refused_connection_is_not_sent_and_is_retried()
        {
            using var closed = TransportTestServer.ClosedPort(out int port);
            foreach (var stack in Stacks())
            {
                var ex = await PostFails(stack, new Uri("http://127.0.0.1:" + port + "/"), retries: 2);
                AssertNotSent(ex, stack, attempts: 3);
            }
        }

        [SkippableFact]
        public async Task An_unknown_host_is_not_sent_and_is_retried()
        {
            // .invalid never resolves (RFC 6761) and a resolver answers that locally, without the network. Where
            // something answers it anyway (a resolver that forges answers), or a proxy would be asked instead, the
            // request could reach an address: then this test does not run.
            const string host = "sobot-transport-test.invalid";
            Skip.If(ProxyConfigured(), "a proxy is configured in the environment: the name would be the proxy's to resolve, not this machine's");
            Skip.If(Resolves(host), host + " resolves on this machine (a resolver forges answers): the request could reach that address");
            foreach (var stack in Stacks())
            {
                var ex = await PostFails(stack, new Uri("http://" + host + "/"), retries: 1);
                AssertNotSent(ex, stack, attempts: 2);
            }
        }

        [Fact]
        public async Task A_failed_TLS_handshake_is_not_sent_and_is_retried()
        {
            foreach (var stack in Stacks())
            {
                // Answers the ClientHello with plain HTTP: no TLS server, the handshake fails before any request byte.
                using var server = new TransportTestServer(c =>
                {
                    c.ReadSome();
                    c.Write(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                });
                var ex = await PostFails(stack, server.HttpsUri, retries: 2);
                AssertNotSent(ex, stack, attempts: 3);
                Assert.Equal(3, server.Connections);
                Assert.Empty(server.Heads);
            }
        }

        [Fact]
        public async Task A_connection_closed_during_the_TLS_handshake_is_not_sent_where_the_runtime_says_so()
        {
            foreach (var stack in Stacks())
            {
                using var server = new TransportTestServer(c => c.Client.Close());
                var ex = await PostFails(stack, server.HttpsUri, retries: 1);
                if (RequestErrorType() is null)
                {
                    // Mono's HttpWebRequest (as .NET Framework's) says SecureChannelFailure -> IOException("Authentication
                    // failed because the remote party has closed the transport stream."), which a renegotiation failing
                    // while the answer is read says too; Mono's SocketsHttpHandler port, the IOException only. Not proof.
                    Assert.False(ex.NotSent, stack + ": " + ex.Message);
                    Assert.Equal(1, ex.Attempts);
                }
                else
                {
                    // .NET 8+: HttpRequestError.SecureConnectionError names the handshake.
                    AssertNotSent(ex, stack, attempts: 2);
                }
            }
        }

        [Fact]
        public async Task A_connection_closed_after_the_request_may_have_been_processed()
        {
            foreach (var stack in Stacks())
            {
                using var server = new TransportTestServer(c =>
                {
                    c.ReadRequest();
                    c.Client.LingerState = new LingerOption(true, 0);
                });
                var ex = await PostFails(stack, server.HttpUri, retries: 2);
                Assert.True(ex.Kind == SobotErrorKind.Transport, stack + ": " + ex.Kind + " " + ex.Message);
                Assert.False(ex.NotSent, stack + ": " + ex.Message);
                Assert.Equal(1, ex.Attempts);
                Assert.Contains("may or may not", ex.Message);
            }
        }

        // ---- a body that never finishes ----

        [Fact]
        public async Task A_stalled_body_ends_at_the_timeout()
        {
            foreach (var stack in Stacks())
            {
                using var stalled = StalledServer();
                // The timeout covers the connection and the headers too: 10 s, so that only the stalled body can use
                // it up on a busy machine (with 2 s, headers late by 2 s read as "no answer", not "body not read").
                var ex = await PostFails(stack, stalled.HttpUri, retries: 0, StalledBodyTimeout);
                Assert.True(ex.StatusCode == 200, stack + ": " + ex.Message);
                Assert.Contains("body could not be read", ex.Message);
                Assert.Contains("may or may not", ex.Message);
            }
        }

        [Fact]
        public async Task A_stalled_body_stops_when_the_call_is_cancelled()
        {
            foreach (var stack in Stacks())
            {
                using var stalled = StalledServer();
                using var client = Client(stack, stalled.HttpUri, TimeSpan.FromMinutes(10), retries: 0, SignalsHeaders(stack, out var headersRead));
                using var stop = new CancellationTokenSource();
                var call = client.SendRawAsync(HttpMethod.Post, "v1/messages", "{}", stop.Token);
                // Cancelled once the client holds the headers: the read in progress is the body's.
                Assert.True(headersRead.Wait(Deadline), stack + ": the client never got the response headers");
                Assert.False(call.IsCompleted, stack + ": the call ended before it was cancelled");
                stop.Cancel();
                await FailsWithinDeadline<OperationCanceledException>(call, stack);
            }
        }

        [Fact]
        public async Task A_stalled_long_poll_body_ends_at_the_timeout_and_on_cancellation()
        {
            foreach (var stack in Stacks())
            {
                using (var stalled = StalledServer())
                using (var receiver = Receiver(stack, stalled.HttpUri, StalledBodyTimeout))
                {
                    var ex = await FailsWithinDeadline<SobotReceiverException>(receiver.GetEventsAsync(null, 0, 10, TimeSpan.Zero), stack);
                    Assert.Contains("could not be read", ex.Message);
                }
                using (var stalled = StalledServer())
                using (var receiver = Receiver(stack, stalled.HttpUri, TimeSpan.FromMinutes(10), SignalsHeaders(stack, out var headersRead)))
                using (var stop = new CancellationTokenSource())
                {
                    var call = receiver.GetEventsAsync(null, 0, 10, TimeSpan.FromSeconds(30), stop.Token);
                    // Cancelled once the client holds the headers: the read in progress is the body's.
                    Assert.True(headersRead.Wait(Deadline), stack + ": the client never got the response headers");
                    Assert.False(call.IsCompleted, stack + ": the long poll ended before it was cancelled");
                    stop.Cancel();
                    await FailsWithinDeadline<OperationCanceledException>(call, stack);
                }
            }
        }

        // ---- what goes on the wire ----

        /// <summary>
        /// A wire check only: no request carries <c>Expect:</c>. It cannot catch the .NET Framework default: .NET
        /// sends Expect only when asked, and Mono's HttpWebRequest handler sets the host's ServicePoint to
        /// <c>ExpectContinue == true</c> (so an unset request is off there too) and does not send Expect for these POSTs.
        /// What guards .NET Framework, whose handler leaves the ServicePoint's default (on) when the request does not say
        /// false, is <see cref="Every_request_says_it_expects_no_100_continue"/>.
        /// </summary>
        [Fact]
        public async Task No_request_carries_Expect_on_the_wire()
        {
            foreach (var stack in Stacks())
            {
                using var server = new TransportTestServer(c =>
                {
                    // Any JSON does for the Sobot client; the receiver's opt-out call wants its own shape.
                    while (c.ReadRequest() != null)
                        c.Write(TransportTestServer.Response(200, "{\"customerNumber\":\"15550100\",\"since\":\"2026-11-25T13:00:00.000Z\",\"source\":\"manual:x\"}", close: false));
                });
                using (var client = Client(stack, server.HttpUri, TimeSpan.FromSeconds(30), retries: 0))
                {
                    await WithinDeadline(client.SendRawAsync(HttpMethod.Post, "v1/messages", "{\"to\":\"x\"}"), stack);
                    await WithinDeadline(client.SendRawAsync(new HttpMethod("PUT"), "v1/customers/1", "{\"name\":\"x\"}"), stack);
                }
                using (var receiver = Receiver(stack, server.HttpUri, TimeSpan.FromSeconds(30)))
                    await WithinDeadline(receiver.AddOptOutAsync("15550100", "x"), stack);
                var heads = server.Heads;
                Assert.Equal(3, heads.Count);
                foreach (var head in heads)
                    Assert.True(head.IndexOf("Expect:", StringComparison.OrdinalIgnoreCase) < 0, stack + ": " + head);
            }
        }

        [Fact]
        public async Task Many_requests_to_one_host_are_in_flight_at_once()
        {
            // .NET Framework allows 2 connections per host unless told otherwise: a bulk run would crawl.
            const int wanted = 8;
            foreach (var stack in Stacks())
            {
                int inFlight = 0, most = 0;
                var gate = new object();
                using var enough = new ManualResetEventSlim();
                using var server = new TransportTestServer(c =>
                {
                    while (c.ReadRequest() != null)
                    {
                        int now = Interlocked.Increment(ref inFlight);
                        lock (gate) most = Math.Max(most, now);
                        if (now >= wanted) enough.Set();
                        enough.Wait(TimeSpan.FromSeconds(30)); // hold every answer until all are in flight (or give up)
                        Interlocked.Decrement(ref inFlight);
                        c.Write(TransportTestServer.Response(200, "{}", close: false));
                    }
                });
                using var client = Client(stack, server.HttpUri, TimeSpan.FromSeconds(90), retries: 0);
                var calls = Enumerable.Range(0, wanted).Select(i => client.SendRawAsync(HttpMethod.Get, "v1/templates?page=" + i, null)).ToArray();
                await WithinDeadline(Task.WhenAll(calls), stack);
                Assert.True(most >= wanted, stack + ": at most " + most + " of " + wanted + " requests were in flight at once");
            }
        }

        // ---- the classifier, on the shapes each runtime throws ----

        /// <summary>Shapes without HttpRequestError (.NET Framework, Mono): read by the chain.</summary>
        public static IEnumerable<object[]> Failures()
        {
            Exception Wrapped(Exception inner) => new HttpRequestException("An error occurred while sending the request.", inner);
            WebException Web(WebExceptionStatus status, Exception? inner = null) => new WebException("web", inner, status, null);
            SocketException Socket(SocketError error) => new SocketException((int)error);

            // .NET Framework / Mono HttpWebRequest: the status names the stage.
            yield return new object[] { "name not resolved", Wrapped(Web(WebExceptionStatus.NameResolutionFailure)), true };
            yield return new object[] { "proxy name not resolved", Wrapped(Web(WebExceptionStatus.ProxyNameResolutionFailure)), true };
            yield return new object[] { "connect refused", Wrapped(Web(WebExceptionStatus.ConnectFailure, Socket(SocketError.ConnectionRefused))), true };
            yield return new object[] { "connect timed out", Wrapped(Web(WebExceptionStatus.ConnectFailure, Socket(SocketError.TimedOut))), true };
            yield return new object[] { "connect failure, no detail", Wrapped(Web(WebExceptionStatus.ConnectFailure)), false };
            yield return new object[] { "connect failure, reset", Wrapped(Web(WebExceptionStatus.ConnectFailure, Socket(SocketError.ConnectionReset))), false };
            // The handshake's failure carries an AuthenticationException (Mono's HttpWebRequest: also when the server closes mid-handshake).
            yield return new object[] { "TLS handshake", Wrapped(Web(WebExceptionStatus.SecureChannelFailure, new AuthenticationException("handshake"))), true };
            yield return new object[] { "TLS handshake, closed", Wrapped(Web(WebExceptionStatus.SecureChannelFailure, new AuthenticationException("handshake", new IOException("closed")))), true };
            yield return new object[] { "TLS handshake, deeper", Wrapped(Web(WebExceptionStatus.SecureChannelFailure, new IOException("failed", new AuthenticationException("handshake")))), true };
            yield return new object[] { "certificate refused", Wrapped(Web(WebExceptionStatus.TrustFailure, new AuthenticationException("certificate"))), true };
            // After sending: .NET Framework's TlsStream sets SecureChannelFailure on any read or write whose security
            // status is not OK (a renegotiation failing while the answer is read). No handshake evidence: may have been sent.
            yield return new object[] { "TLS read failed after sending", Wrapped(Web(WebExceptionStatus.SecureChannelFailure, new IOException("read", new System.ComponentModel.Win32Exception(unchecked((int)0x80090326))))), false };
            yield return new object[] { "TLS closed, the handshake's or a renegotiation's", Wrapped(Web(WebExceptionStatus.SecureChannelFailure, new IOException("Authentication failed because the remote party has closed the transport stream."))), false };
            yield return new object[] { "TLS read failed, no detail", Wrapped(Web(WebExceptionStatus.SecureChannelFailure)), false };
            yield return new object[] { "TLS read failed, reset", Wrapped(Web(WebExceptionStatus.SecureChannelFailure, new IOException("reset", Socket(SocketError.ConnectionReset)))), false };
            yield return new object[] { "trust failure, no detail", Wrapped(Web(WebExceptionStatus.TrustFailure)), false };
            yield return new object[] { "receive failure", Wrapped(Web(WebExceptionStatus.ReceiveFailure, new IOException("reset", Socket(SocketError.ConnectionReset)))), false };
            yield return new object[] { "send failure", Wrapped(Web(WebExceptionStatus.SendFailure)), false };
            yield return new object[] { "keep-alive closed", Wrapped(Web(WebExceptionStatus.KeepAliveFailure)), false };
            yield return new object[] { "aborted", Wrapped(Web(WebExceptionStatus.RequestCanceled)), false };
            yield return new object[] { "timeout", Wrapped(Web(WebExceptionStatus.Timeout)), false };
            yield return new object[] { "unknown", Wrapped(Web(WebExceptionStatus.UnknownError)), false };
            // A WebException outside HttpRequestException (straight from HttpWebRequest).
            yield return new object[] { "bare name not resolved", Web(WebExceptionStatus.NameResolutionFailure), true };
            // Mono's default handler: the socket or TLS exception inside.
            yield return new object[] { "socket refused", Wrapped(Socket(SocketError.ConnectionRefused)), true };
            yield return new object[] { "socket host not found", Wrapped(Socket(SocketError.HostNotFound)), true };
            yield return new object[] { "socket timed out", Wrapped(Socket(SocketError.TimedOut)), false };
            yield return new object[] { "socket reset", Wrapped(new IOException("reset", Socket(SocketError.ConnectionReset))), false };
            yield return new object[] { "authentication", Wrapped(new AuthenticationException("handshake")), true };
            // Nothing more said: it may have been sent.
            yield return new object[] { "bare HttpRequestException", new HttpRequestException("An error occurred while sending the request."), false };
            yield return new object[] { "IOException", Wrapped(new IOException("The server returned an invalid or unrecognized response.")), false };
        }

        [Theory]
        [MemberData(nameof(Failures))]
        public void Failures_before_sending_are_told_from_the_others(string what, Exception failure, bool beforeSending)
        {
            Assert.True(TransportFailure.ByChain(failure) == beforeSending, what);
            // Where HttpRequestException has no HttpRequestError (.NET Framework, Mono) the chain is the whole reading.
            if (RequestErrorType() is null)
                Assert.True(TransportFailure.BeforeSending(failure) == beforeSending, what);
        }

#if NET
        // .NET 8+ only: .NET Framework and Mono have no HttpRequestError, and the chain decides there (above).
        /// <summary>.NET 8+ shapes: HttpRequestError decides, whatever lies deeper in the chain.</summary>
        public static IEnumerable<object[]> FailuresWithRequestError()
        {
            SocketException Socket(SocketError error) => new SocketException((int)error);
            yield return new object[] { "NameResolutionError", "NameResolutionError", Socket(SocketError.HostNotFound), true };
            yield return new object[] { "NameResolutionError, no inner", "NameResolutionError", null!, true };
            yield return new object[] { "SecureConnectionError, closed", "SecureConnectionError", new IOException("closed"), true };
            yield return new object[] { "SecureConnectionError, authentication", "SecureConnectionError", new AuthenticationException("handshake"), true };
            yield return new object[] { "ConnectionError, refused", "ConnectionError", Socket(SocketError.ConnectionRefused), true };
            yield return new object[] { "ConnectionError, connect timed out", "ConnectionError", Socket(SocketError.TimedOut), true };
            yield return new object[] { "ConnectionError, deeper refused", "ConnectionError", new IOException("connect", Socket(SocketError.ConnectionRefused)), true };
            yield return new object[] { "ConnectionError, reset", "ConnectionError", Socket(SocketError.ConnectionReset), false };
            yield return new object[] { "ConnectionError, no socket error", "ConnectionError", new IOException("closed"), false };
            yield return new object[] { "ConnectionError, no inner", "ConnectionError", null!, false };
            // After sending: no proof, even with handshake or connect-looking exceptions deeper.
            yield return new object[] { "ResponseEnded", "ResponseEnded", new IOException("ended"), false };
            yield return new object[] { "ResponseEnded, authentication deeper", "ResponseEnded", new IOException("read", new AuthenticationException("renegotiation")), false };
            yield return new object[] { "ResponseEnded, host unreachable deeper", "ResponseEnded", new IOException("read", Socket(SocketError.HostUnreachable)), false };
            yield return new object[] { "Unknown, authentication", "Unknown", new AuthenticationException("handshake"), false };
            yield return new object[] { "Unknown, host unreachable", "Unknown", Socket(SocketError.HostUnreachable), false };
            yield return new object[] { "Unknown, a WebException naming the name", "Unknown", new WebException("web", null, WebExceptionStatus.NameResolutionFailure, null), false };
            yield return new object[] { "InvalidResponse", "InvalidResponse", new IOException("invalid"), false };
            yield return new object[] { "ProxyTunnelError", "ProxyTunnelError", null!, false };
            yield return new object[] { "HttpProtocolError", "HttpProtocolError", null!, false };
        }

        [Theory]
        [MemberData(nameof(FailuresWithRequestError))]
        public void On_NET_8_HttpRequestError_decides(string what, string error, Exception? inner, bool beforeSending)
        {
            var type = RequestErrorType() ?? throw new InvalidOperationException("HttpRequestException has no HttpRequestError on .NET 8+?");
            var constructor = typeof(HttpRequestException).GetConstructor(new[] { type, typeof(string), typeof(Exception), typeof(HttpStatusCode?) })
                ?? throw new InvalidOperationException("HttpRequestException(HttpRequestError, string, Exception, HttpStatusCode?) not found");
            var failure = (Exception)constructor.Invoke(new object?[] { Enum.Parse(type, error), "An error occurred while sending the request.", inner, null });
            Assert.True(TransportFailure.BeforeSending(failure) == beforeSending, what);
            Assert.True(TransportFailure.ByRequestError(failure) == beforeSending, what);
        }
#endif

        private static Type? RequestErrorType() => typeof(HttpRequestException).GetProperty("HttpRequestError")?.PropertyType;

        // ---- the handler's settings ----

        [Fact]
        public void The_handler_asks_for_TLS_12_where_the_process_would_not()
        {
            const SecurityProtocolType ssl3AndTls10 = (SecurityProtocolType)(48 | 192); // Windows PowerShell 5.1 without strong crypto
            const SecurityProtocolType tls10To12 = (SecurityProtocolType)(192 | 768 | 3072);
            const SecurityProtocolType tls12And13 = (SecurityProtocolType)(3072 | 12288);
            Assert.Equal(SslProtocols.Tls12, SobotHttpHandler.RequestedProtocols(true, ssl3AndTls10));
            Assert.Equal(SslProtocols.Tls12, SobotHttpHandler.RequestedProtocols(true, tls10To12));
            Assert.Equal(SslProtocols.Tls12 | SobotHttpHandler.Tls13, SobotHttpHandler.RequestedProtocols(true, tls12And13));
            // The process defers to the system (an application for 4.7+, or SystemDefaultTlsVersions): so do we.
            Assert.Equal(SslProtocols.None, SobotHttpHandler.RequestedProtocols(true, 0));
            // .NET: the system's default (TLS 1.2, and 1.3 where the system has it); ServicePointManager means nothing there.
            Assert.Equal(SslProtocols.None, SobotHttpHandler.RequestedProtocols(false, ssl3AndTls10));

            using var handler = new HttpClientHandler();
            Assert.True(SobotHttpHandler.Configure(handler, null, null, false, true, ssl3AndTls10));
            Assert.Equal(SslProtocols.Tls12, handler.SslProtocols);
            Assert.Equal(SobotHttpHandler.MaximumConnectionsPerServer, handler.MaxConnectionsPerServer);
            Assert.False(handler.AllowAutoRedirect);
            Assert.False(handler.UseCookies);
        }

        [Fact]
        public async Task Every_request_says_it_expects_no_100_continue()
        {
            // .NET Framework's handler turns the host's Expect100Continue off only when the request says false (null leaves it on).
            bool? seen = null;
            using var handler = new SobotHttpHandler.TransportDefaults(new Capture(r => seen = r.Headers.ExpectContinue));
            using var http = new HttpClient(handler);
            using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:1/") { Content = new StringContent("{}") };
            await http.SendAsync(request);
            Assert.True(seen == false, "ExpectContinue was " + (seen?.ToString() ?? "not set"));
        }

        // ---- what the tests share ----

        private const string DefaultStack = "the runtime's handler";
        private const string WebRequestStack = "Mono's HttpWebRequest handler with 5.1's TLS list";

        private static bool IsMono => Type.GetType("Mono.Runtime") != null;

        /// <summary>The handler stacks to test: the client's own, and under Mono also one set up as on Windows PowerShell 5.1.</summary>
        private static IEnumerable<string> Stacks()
        {
            yield return DefaultStack;
            if (IsMono) yield return WebRequestStack;
        }

        /// <summary>Mono's HttpClientHandler over HttpWebRequest (its default is a port of .NET's SocketsHttpHandler).</summary>
        internal static HttpClientHandler MonoWebRequestHandler()
        {
            var assembly = typeof(HttpClientHandler).Assembly;
            var type = assembly.GetType("System.Net.Http.MonoWebRequestHandler", throwOnError: true)!;
            var contract = assembly.GetType("System.Net.Http.IMonoHttpClientHandler", throwOnError: true)!;
            var inner = Activator.CreateInstance(type, nonPublic: true);
            var constructor = typeof(HttpClientHandler).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, null, new[] { contract }, null)
                ?? throw new InvalidOperationException("HttpClientHandler(IMonoHttpClientHandler) not found");
            return (HttpClientHandler)constructor.Invoke(new[] { inner });
        }

        /// <summary>The handler a stack gets, set up as the module sets up .NET Framework's (a 5.1 process list: SSL 3 and TLS 1.0).</summary>
        private HttpMessageHandler? HandlerFor(string stack)
        {
            if (stack == DefaultStack) return null; // the client's own, from SobotHttpHandler.Create
            var handler = SobotHttpHandler.Wrap(MonoWebRequestHandler(), null, null, false, true, (SecurityProtocolType)(48 | 192));
            _owned.Add(handler);
            return handler;
        }

        /// <summary>
        /// The stack's handler (for the default stack the client's own, as SobotHttpHandler.Create builds it) under one
        /// that sets <paramref name="headersRead"/> when a response's headers have reached the client: the body follows.
        /// </summary>
        private HttpMessageHandler SignalsHeaders(string stack, out ManualResetEventSlim headersRead)
        {
            var handler = new HeadersSignal(HandlerFor(stack) ?? SobotHttpHandler.Create(null, null, false));
            _owned.Add(handler);
            headersRead = handler.Read;
            return handler;
        }

        private SobotClient Client(string stack, Uri baseUri, TimeSpan timeout, int retries, HttpMessageHandler? handler = null) =>
            new SobotClient(new SobotClientOptions(new SobotCredential("transport-access", Secure("transport-secret")))
            {
                BaseUri = baseUri,
                Timeout = timeout,
                MaximumRetryCount = retries,
                Handler = handler ?? HandlerFor(stack),
            });

        private SobotReceiverClient Receiver(string stack, Uri queryUri, TimeSpan timeout, HttpMessageHandler? handler = null) =>
            new SobotReceiverClient(new SobotReceiverOptions(queryUri, Secure("transport-query-key")) { Timeout = timeout, Handler = handler ?? HandlerFor(stack) });

        /// <summary>Answers 200 with headers and the start of a 100-byte body, then nothing until the test ends.</summary>
        private static TransportTestServer StalledServer() =>
            new TransportTestServer(c =>
            {
                if (c.ReadRequest() is null) return;
                c.Write(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"events\":["));
                c.ReadSome(); // blocks until the client closes (or the server is disposed)
            });

        /// <summary>One POST through a client for <paramref name="stack"/>, which must fail with a SobotApiException within the deadline.</summary>
        private async Task<SobotApiException> PostFails(string stack, Uri baseUri, int retries, TimeSpan? timeout = null)
        {
            using var client = Client(stack, baseUri, timeout ?? TimeSpan.FromSeconds(30), retries);
            return await FailsWithinDeadline<SobotApiException>(client.SendRawAsync(HttpMethod.Post, "v1/messages", "{}"), stack);
        }

        private static void AssertNotSent(SobotApiException ex, string stack, int attempts)
        {
            Assert.True(ex.Kind == SobotErrorKind.Transport, stack + ": " + ex.Kind + " " + ex.Message);
            Assert.True(ex.NotSent, stack + ": not seen as not sent: " + ex.Message + " / " + Chain(ex.InnerException));
            Assert.True(ex.Attempts == attempts, stack + ": " + ex.Attempts + " attempts");
            Assert.Contains("nothing was sent", ex.Message);
        }

        private static string Chain(Exception? ex)
        {
            var text = new StringBuilder();
            for (var e = ex; e != null; e = e.InnerException)
            {
                text.Append(e.GetType().Name);
                if (e is WebException web) text.Append('(').Append(web.Status).Append(')');
                if (e is SocketException socket) text.Append('(').Append(socket.SocketErrorCode).Append(')');
                text.Append(": ").Append(e.Message).Append(" -> ");
            }
            return text.ToString();
        }

        private static async Task WithinDeadline(Task call, string stack)
        {
            var first = await Task.WhenAny(call, Task.Delay(Deadline));
            Assert.True(first == call, stack + ": still running after " + Deadline.TotalSeconds + " s");
            await call;
        }

        private static async Task<T> FailsWithinDeadline<T>(Task call, string stack) where T : Exception
        {
            var first = await Task.WhenAny(call, Task.Delay(Deadline));
            Assert.True(first == call, stack + ": still running after " + Deadline.TotalSeconds + " s");
            try
            {
                await call;
            }
            catch (Exception ex)
            {
                Assert.True(ex is T, stack + ": expected " + typeof(T).Name + ", got " + Chain(ex));
                return (T)ex;
            }
            throw new Xunit.Sdk.XunitException(stack + ": expected " + typeof(T).Name + ", the call succeeded");
        }

        private static bool Resolves(string host)
        {
            try
            {
                return Dns.GetHostAddresses(host).Length > 0;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private static bool ProxyConfigured() =>
            new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" }
                .Any(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)));

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>Sets <see cref="Read"/> once the handler below has returned a response: its headers are in, its body not yet read.</summary>
        private sealed class HeadersSignal : DelegatingHandler
        {
            public HeadersSignal(HttpMessageHandler inner) : base(inner) { }

            public ManualResetEventSlim Read { get; } = new ManualResetEventSlim();

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                Read.Set();
                return response;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) Read.Dispose();
                base.Dispose(disposing);
            }
        }

        private sealed class Capture : HttpMessageHandler
        {
            private readonly Action<HttpRequestMessage> _seen;

            public Capture(Action<HttpRequestMessage> seen) { _seen = seen; }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                _seen(request);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
            }
        }
    }
}
