using System;

namespace Sobot.Client.Bulk
{
    /// <summary>A row that did not go out because the run stopped first (Ctrl+C, rejected keys, a broken journal). A re-run sends it.</summary>
    public sealed class RowNotSentException : Exception
    {
        public RowNotSentException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
