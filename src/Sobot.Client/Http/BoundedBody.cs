using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Http
{
    /// <summary>Reads a response body up to a size limit and within a time limit.</summary>
    internal static class BoundedBody
    {
        public sealed class TooLargeException : IOException
        {
            public TooLargeException(int limit) : base($"The response body is larger than {limit} bytes.") { }
        }

        public static async Task<string> ReadAsync(HttpContent? content, int limit, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (content is null) return string.Empty;
            if (content.Headers.ContentLength is long declared && declared > limit) throw new TooLargeException(limit);
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan) timer.CancelAfter(timeout);
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
            byte[] bytes;
            int length;
            if (content.Headers.ContentLength is long known)
            {
                // The usual case: a small reply of known length, read into one array of that size.
                bytes = new byte[known];
                length = 0;
                while (length < bytes.Length)
                {
                    int read = await stream.ReadAsync(bytes, length, bytes.Length - length, timer.Token).ConfigureAwait(false);
                    if (read <= 0) break;
                    length += read;
                }
            }
            else
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[8 * 1024];
                while (true)
                {
                    int read = await stream.ReadAsync(chunk, 0, chunk.Length, timer.Token).ConfigureAwait(false);
                    if (read <= 0) break;
                    if (buffer.Length + read > limit) throw new TooLargeException(limit);
                    buffer.Write(chunk, 0, read);
                }
                bytes = buffer.GetBuffer();
                length = (int)buffer.Length;
            }
            var encoding = Encoding.UTF8;
            string? charset = content.Headers.ContentType?.CharSet;
            if (!string.IsNullOrEmpty(charset))
            {
                try { encoding = Encoding.GetEncoding(charset!.Trim('"')); }
                catch (ArgumentException) { }
            }
            return encoding.GetString(bytes, 0, length);
        }
    }
}
