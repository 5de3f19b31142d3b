namespace Sobot.Receiver.Store;

/// <summary>
/// How numbers are kept in the opt-out list and the last-inbound table: digits only, so "+91 99601-23456" and
/// "919960123456" are one customer whoever typed them.
/// </summary>
public static class CustomerNumbers
{
    public const int MaxDigits = 20;

    /// <summary>Strips a leading +, spaces and dashes; null when anything else is left, or no digit, or too many.</summary>
    public static string? Normalize(string? number)
    {
        if (number == null) return null;
        var text = number.Trim();
        if (text.StartsWith('+')) text = text[1..];
        var digits = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is ' ' or '-') continue;
            if (c is < '0' or > '9') return null;
            digits.Append(c);
        }
        return digits.Length is > 0 and <= MaxDigits ? digits.ToString() : null;
    }

    /// <summary>For store methods given a number by a caller: a number that cannot be normalised is the caller's mistake.</summary>
    public static string Require(string number) =>
        Normalize(number) ?? throw new ArgumentException($"'{number}' is not a phone number: digits, with an optional leading + and spaces or dashes.", nameof(number));
}
