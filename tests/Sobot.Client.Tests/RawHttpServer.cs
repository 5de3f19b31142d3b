using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sobot.Client.Tests;

/// <summary>
/// A loopback HTTP/1.1 server that answers each request with a canned response, for what the emulator
/// never does on purpose (redirects, oversized or non-JSON bodies). Records the headers it received.
/// Written for .NET Framework too: the .NET Framework test leg (tests/Sobot.Client.NetFx.Tests) compiles it in.
/// </summary>
public sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, byte[]> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = new();

    public RawHttpServer(Func<string, byte[]> respond)
    {
        _respond = respond;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The request heads (request line and headers) received so far.</summary>
    public IReadOnlyList<string> Requests { get { lock (_requests) return _requests.ToList(); } }

    public static byte[] Response(int status, string body, params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n");
        foreach (var h in headers) head.Append(h).Append("\r\n");
        head.Append("\r\n");
        return Encoding.ASCII.GetBytes(head.ToString()).Concat(bytes).ToArray();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            catch (Exception) { return; }   // Dispose stopped the listener
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var head = await ReadHeadAsync(stream);
                    lock (_requests) _requests.Add(head);
                    int length = 0;
                    foreach (var line in head.Split(new[] { "\r\n" }, StringSplitOptions.None))
                        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim());
                    var body = new byte[length];
                    int read = 0;
                    while (read < length) { int n = await stream.ReadAsync(body, read, length - read); if (n <= 0) break; read += n; }
                    var response = _respond(head);
                    try { await stream.WriteAsync(response, 0, response.Length); } catch (IOException) { }
                }
            });
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (!sb.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, 0, 1) <= 0) break;
            sb.Append((char)one[0]);
        }
        return sb.ToString();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
