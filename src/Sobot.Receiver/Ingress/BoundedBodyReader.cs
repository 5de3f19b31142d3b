using System.Buffers;

namespace Sobot.Receiver.Ingress;

/// <summary>Reads a request body whole, up to a limit; null when the body is longer (the caller answers 413).</summary>
public static class BoundedBodyReader
{
    /// <summary>Sobot's documented largest payload.</summary>
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        int expected = (int)(request.ContentLength ?? 16 * 1024);
        var buffer = new ArrayBufferWriter<byte>(Math.Max(1, expected));
        try
        {
            while (true)
            {
                // Never ask for more than one byte past the limit: that byte is enough to know the body is too long,
                // and Kestrel's own limit (set to limit + 1) is never crossed.
                int room = limit + 1 - buffer.WrittenCount;
                var memory = buffer.GetMemory(Math.Min(room, Math.Max(4096, expected - buffer.WrittenCount)));
                int read = await request.Body.ReadAsync(memory[..Math.Min(memory.Length, room)], cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.WrittenCount > limit) return null;
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.WrittenSpan.ToArray();
    }
}
