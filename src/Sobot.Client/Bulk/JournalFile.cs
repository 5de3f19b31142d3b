using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sobot.Client.Bulk
{
    /// <summary>
    /// Opens a journal file with an operating-system lock that excludes every other writer for as long as the
    /// run holds it, and that dies with the process: nothing a user deletes releases it, and a crash leaves
    /// nothing behind. Readers are never blocked.
    /// On Windows the share mode does it (readers may share, writers may not). Elsewhere .NET takes a
    /// flock(2) lock, exclusive for FileShare.None; readers then open the file through open(2) directly, so
    /// .NET's own shared lock for readers does not collide with the writer's exclusive one.
    /// </summary>
    internal static class JournalFile
    {
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static FileStream OpenForWriting(string path)
        {
            try
            {
                bool created = !File.Exists(path);
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, IsWindows ? FileShare.Read : FileShare.None, 1 << 16, FileOptions.None);
                // A journal holds customers' numbers: a new one is readable by its owner only, before a record is written.
                if (created) OwnerOnlyFiles.Restrict(path);
                return stream;
            }
            catch (IOException ex) when (IsSharingViolation(ex))
            {
                throw new JournalLockedException($"The journal '{path}' is in use by another run (the operating system's lock on it is held). Wait for that run to end; two runs on one journal could send a row twice.", ex);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is DirectoryNotFoundException || ex is IOException || ex is NotSupportedException)
            {
                string folder = Path.GetDirectoryName(path) ?? path;
                string why = ex is UnauthorizedAccessException ? $"access was denied (is the folder '{folder}' read-only, or the file owned by another user?)"
                    : ex is DirectoryNotFoundException ? $"the folder '{folder}' does not exist"
                    : ex.Message;
                throw new JournalUnusableException($"Cannot open the journal '{path}' for writing: {why}. Use a file in a folder this account can write.", ex);
            }
        }

        public static Stream OpenForReading(string path)
        {
            if (IsWindows)
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            int fd = NativeOpen(path, OpenReadOnly | OpenCloseOnExec);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == 2) throw new FileNotFoundException($"No journal at '{path}'.", path);
                if (errno == 13) throw new UnauthorizedAccessException($"Access to the journal '{path}' was denied.");
                throw new IOException($"Cannot open the journal '{path}' (error {errno}).");
            }
            return new FileStream(new SafeFileHandle((IntPtr)fd, ownsHandle: true), FileAccess.Read, 1 << 16);
        }

        /// <summary>ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows; EWOULDBLOCK (11 on Linux, 35 on macOS) from flock elsewhere.</summary>
        private static bool IsSharingViolation(IOException ex)
        {
            if (ex is FileNotFoundException || ex is DirectoryNotFoundException || ex is PathTooLongException) return false;
            int code = ex.HResult & 0xFFFF;
            return IsWindows ? code == 32 || code == 33 : ex.HResult == 11 || ex.HResult == 35 || code == 32;
        }

        private const int OpenReadOnly = 0;
        // O_CLOEXEC: 0x80000 on Linux, 0x1000000 on macOS; only keeps the descriptor from leaking into child processes.
        private static readonly int OpenCloseOnExec = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? 0x80000 : 0;

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int NativeOpen([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
    }
}
