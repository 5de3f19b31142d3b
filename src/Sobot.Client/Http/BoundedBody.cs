using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Http
{
    /// <summary>
    /// Reads a response body up to a size limit and within a time limit. The limit and the caller's token hold
    /// even where a read in progress ignores its token (.NET Framework's and Mono's HttpWebRequest streams): the
    /// wait ends when the token fires, and the stream is closed to abort the read and free the connection.
    /// </summary>
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
            // Closing the stream is what stops a read on .NET Framework; on .NET the read's own token does.
            using var abort = timer.Token.Register(() => Close(stream));
            byte[] bytes;
            int length;
            if (content.Headers.ContentLength is long known)
            {
                // The usual case: a small reply of known length, read into one array of that size.
                bytes = new byte[known];
                length = 0;
                while (length < bytes.Length)
                {
                    int read = await ReadAsync(stream, bytes, length, bytes.Length - length, timer.Token).ConfigureAwait(false);
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
                    int read = await ReadAsync(stream, chunk, 0, chunk.Length, timer.Token).ConfigureAwait(false);
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

        /// <summary>One read that ends with an OperationCanceledException when <paramref name="token"/> fires, whatever the stream does.</summary>
        private static async Task<int> ReadAsync(Stream stream, byte[] buffer, int offset, int count, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            Task<int> read;
            try
            {
                read = stream.ReadAsync(buffer, offset, count, token);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                throw new OperationCanceledException(token);
            }
            if (!read.IsCompleted)
            {
                var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (token.Register(() => stopped.TrySetResult(true)))
                {
                    if (await Task.WhenAny(read, stopped.Task).ConfigureAwait(false) != read)
                    {
                        // The read may still end later (with an error, the stream being closed): observe it.
                        _ = read.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        throw new OperationCanceledException(token);
                    }
                }
            }
            try
            {
                return await read.ConfigureAwait(false);
            }
            catch (Exception ex) when (token.IsCancellationRequested && !(ex is OperationCanceledException))
            {
                // The stream closed under the read (ObjectDisposedException, IOException, WebException): that was the token.
                throw new OperationCanceledException(token);
            }
        }

        /// <summary>Closes the body's stream off the caller's thread: on .NET Framework closing may drain for up to its ResponseDrainTimeout.</summary>
        private static void Close(Stream stream) =>
            Task.Run(() =>
            {
                try { stream.Dispose(); }
                catch (Exception) { /* closing an aborted stream may throw; the read's error is what counts */ }
            });
    }
}
