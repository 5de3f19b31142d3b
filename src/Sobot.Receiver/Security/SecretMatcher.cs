using System.Security.Cryptography;
using System.Text;

namespace Sobot.Receiver.Security;

/// <summary>
/// Checks a presented token or key against the real one in constant time. Both are hashed first, so the comparison
/// takes the same time whatever the lengths, and the secret itself is not kept in this object.
/// </summary>
public sealed class SecretMatcher
{
    private readonly byte[] _expectedHash;

    public SecretMatcher(string secret) => _expectedHash = Hash(secret);

    public bool Matches(string? candidate) =>
        candidate != null && CryptographicOperations.FixedTimeEquals(Hash(candidate), _expectedHash);

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
