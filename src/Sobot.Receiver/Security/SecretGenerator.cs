using System.Security.Cryptography;

namespace Sobot.Receiver.Security;

/// <summary>Makes webhook tokens and query keys: 256 random bits, base64url without padding (43 characters, URL-safe).</summary>
public static class SecretGenerator
{
    public static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
