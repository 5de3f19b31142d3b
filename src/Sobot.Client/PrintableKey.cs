using System;
using System.Collections.Generic;

namespace Sobot.Client
{
    /// <summary>
    /// The rule every key that goes into a request header follows (Sobot's access and secret keys, the receiver's query
    /// key): surrounding whitespace (the line break <c>Get-Content -Raw</c> or a file leaves) is trimmed and reported, and a
    /// control character or whitespace inside is refused, since a CR or LF could put another header on the wire.
    /// Messages name the key, never its value.
    /// </summary>
    internal static class PrintableKey
    {
        /// <param name="what">The key's name in messages, e.g. "secret key".</param>
        /// <param name="parameter">The parameter an <see cref="ArgumentException"/> names.</param>
        /// <param name="source">Where the key is taken again from, for the refusal's advice.</param>
        public static string Clean(string? key, string what, string parameter, string source, ICollection<string> notices)
        {
            if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException($"The {what} is empty.", parameter);
            string trimmed = key!.Trim();
            if (trimmed.Length != key.Length)
                notices.Add($"The {what} had whitespace or a line break around it (as reading a file whole leaves); it was trimmed.");
            foreach (char c in trimmed)
                if (char.IsControl(c) || char.IsWhiteSpace(c))
                    throw new ArgumentException($"The {what} holds a control character or whitespace inside it; keys are printable text. Copy the key again from {source}.", parameter);
            return trimmed;
        }
    }
}
