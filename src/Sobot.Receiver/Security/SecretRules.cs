namespace Sobot.Receiver.Security;

/// <summary>What a given token or key must look like: long enough to carry 128 bits, and (for the token) safe in a URL path.</summary>
public static class SecretRules
{
    /// <summary>22 base64url characters carry 132 bits.</summary>
    public const int MinLength = 22;

    public static string? ProblemWithToken(string token)
    {
        if (token.Length < MinLength) return $"must be at least {MinLength} characters";
        foreach (char c in token)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
                return "may hold only letters, digits, '-' and '_' (it is part of the webhook URL)";
        return null;
    }

    public static string? ProblemWithQueryKey(string key)
    {
        if (key.Length < MinLength) return $"must be at least {MinLength} characters";
        foreach (char c in key)
            if (c < '!' || c > '~') return "may hold only printable ASCII without spaces (it travels in an HTTP header)";
        return null;
    }
}
