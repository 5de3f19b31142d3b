using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Sobot.Receiver.Tests;

/// <summary>
/// A POST whose body is chunked by hand on a raw socket (Transfer-Encoding: chunked, every chunk the given size),
/// so the framing the receiver sees is exactly the one written: HttpClient picks its own chunk sizes.
/// </summary>
public static class RawChunkedPost
{
    /// <summary>The status code of the answer.</summary>
    public static async Task<int> SendAsync(Uri baseUri, string path, byte[] payload, int chunkSize)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseUri.Host, baseUri.Port);
        var stream = client.GetStream();
        var request = new MemoryStream();
        void Write(string text) => request.Write(Encoding.ASCII.GetBytes(text));
        Write($"POST /{path} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (int start = 0; start < payload.Length; start += chunkSize)
        {
            int length = Math.Min(chunkSize, payload.Length - start);
            Write(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
            request.Write(payload, start, length);
            Write("\r\n");
        }
        Write("0\r\n\r\n");
        // Written while the answer is read: a refusal may come before the last bytes are taken.
        var writing = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(request.GetBuffer().AsMemory(0, (int)request.Length));
            }
            catch (IOException)
            {
            }
        });
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (!answer.ToString().Contains("\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
            if (read == 0) throw new IOException("The receiver closed the connection without an answer: " + answer);
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        await writing.WaitAsync(TimeSpan.FromSeconds(60));
        // "HTTP/1.1 200 OK"
        return int.Parse(answer.ToString().Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
