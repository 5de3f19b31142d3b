using System;
using System.IO;

namespace Sobot.Client
{
    /// <summary>
    /// A file or folder refused because another user could read what it holds, change it, or put it there: a folder
    /// others can write, a file owned by another user or writable by others, a secret file others can read, a
    /// symbolic link where a file is created or appended. The message names the path, what is wrong and the fix.
    /// </summary>
    public sealed class UnsafePathException : IOException
    {
        public UnsafePathException(string path, string problem, string fix)
            : this(path, fix, problem + " To fix: " + fix, null)
        {
        }

        private UnsafePathException(string path, string fix, string message, Exception? inner)
            : base(message, inner)
        {
            Path = path;
            Fix = fix;
        }

        /// <summary>One another process reported (the receiver's start failure): its whole message, the path and the fix.</summary>
        public static UnsafePathException Reported(string path, string message, string fix) => new UnsafePathException(path, fix, message, null);

        /// <summary>The file or folder refused.</summary>
        public string Path { get; }

        /// <summary>What makes it safe, as a command where there is one: <c>chmod go-w '/srv/shared'</c>.</summary>
        public string Fix { get; }
    }
}
