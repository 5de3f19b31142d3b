using System;
using System.IO;

namespace Sobot.Client.Bulk
{
    /// <summary>The journal cannot be created, read or written: a missing or read-only folder, a file that is not a journal, a full disk.</summary>
    public sealed class JournalUnusableException : IOException
    {
        public JournalUnusableException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
