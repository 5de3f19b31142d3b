using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Sobot.Receiver.Ingress;

/// <summary>
/// Reads a request body whole, up to a limit on its payload (the bytes after any chunked framing is taken off); null
/// when the payload is longer (the caller answers 413).
/// </summary>
public static class BoundedBodyReader
{
    /// <summary>Sobot's documented largest payload.</summary>
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    /// <summary>
    /// The most framing a chunked body may carry per payload byte: 1-byte chunks (<c>1\r\nX\r\n</c>) add 5 bytes to each,
    /// and the last chunk and an empty trailer add 5 in all. Room for 7 allows any chunk size, and still bounds
    /// what a sender can make Kestrel parse for one body.
    /// </summary>
    private const long FramingPerPayloadByte = 7;

    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        // Kestrel counts a chunked body's framing (each chunk's size line and CRLFs) against MaxRequestBodySize: set
        // for the payload alone, it refused 3,123,857 bytes of payload sent in 1,000-byte chunks. The payload limit is
        // kept below, on the bytes read; Kestrel's limit only has to leave room for the framing.
        if (request.ContentLength is null && request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = (limit + 1L) * FramingPerPayloadByte;
        int expected = (int)(request.ContentLength ?? 16 * 1024);
        var buffer = new ArrayBufferWriter<byte>(Math.Max(1, expected));
        try
        {
            while (true)
            {
                // Never ask for more than one byte past the limit: that byte is enough to know the body is too long,
                // and Kestrel's own limit (set to limit + 1 for a body of known length) is never crossed.
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
