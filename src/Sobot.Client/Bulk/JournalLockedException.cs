using System;
using System.IO;

namespace Sobot.Client.Bulk
{
    /// <summary>The journal is in use by another run (the operating system's lock on it is held).</summary>
    public sealed class JournalLockedException : IOException
    {
        public JournalLockedException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
