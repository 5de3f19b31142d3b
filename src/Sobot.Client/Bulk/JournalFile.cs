using System;
using System.IO;

namespace Sobot.Client.Bulk
{
    /// <summary>
    /// Opens a journal file with an operating-system lock that excludes every other writer for as long as the
    /// run holds it, and that dies with the process: nothing a user deletes releases it, and a crash leaves
    /// nothing behind. Readers are never blocked.
    /// On Windows the share mode does it (readers may share, writers may not). Elsewhere an exclusive flock(2) on
    /// the file, which readers (who take none) never meet. The journal holds customers' numbers: it is opened as
    /// <see cref="OwnerOnlyFiles"/> opens such files (a new one 0600; never through a symbolic link; one another user
    /// owns or can write, or in a folder others can write, is refused with an <see cref="UnsafePathException"/>).
    /// </summary>
    internal static class JournalFile
    {

        /// <param name="tightened">Told the path when the journal could be read by group or others (an older version left it 0644) and was made 0600.</param>
        public static FileStream OpenForWriting(string path, Action<string>? tightened = null)
        {
            FileStream stream;
            try
            {
                stream = OwnerOnlyFiles.OpenReadWrite(path, FileShare.Read, tightened);
            }
            catch (IOException ex) when (IsSharingViolation(ex))
            {
                throw Locked(path, ex);
            }
            catch (Exception ex) when (!(ex is UnsafePathException) && (ex is UnauthorizedAccessException || ex is DirectoryNotFoundException || ex is IOException || ex is NotSupportedException))
            {
                string folder = Path.GetDirectoryName(path) ?? path;
                string why = ex is UnauthorizedAccessException ? $"access was denied (is the folder '{folder}' read-only, or the file owned by another user?)"
                    : ex is DirectoryNotFoundException ? $"the folder '{folder}' does not exist"
                    : ex.Message;
                throw new JournalUnusableException($"Cannot open the journal '{path}' for writing: {why}. Use a file in a folder this account can write.", ex);
            }
            // A lock can be held for a moment by no run at all: a process this one (or a run that just ended here) is
            // starting holds a copy of the descriptor from fork until exec closes it. Only a lock still held after
            // LockPatience is another run's.
            var patience = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                bool locked;
                try
                {
                    locked = OwnerOnlyFiles.TryLockExclusive(stream, path);
                }
                catch (IOException ex)
                {
                    stream.Dispose();
                    throw new JournalUnusableException($"Cannot lock the journal '{path}': {ex.Message}", ex);
                }
                if (locked) return stream;
                if (patience.Elapsed >= LockPatience)
                {
                    stream.Dispose();
                    throw Locked(path, null);
                }
                System.Threading.Thread.Sleep(50);
            }
        }

        /// <summary>How long a held lock is tried again before the journal counts as in use by another run.</summary>
        private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(2);

        private static JournalLockedException Locked(string path, Exception? inner) =>
            new JournalLockedException($"The journal '{path}' is in use by another run (the operating system's lock on it is held). Wait for that run to end; two runs on one journal could send a row twice.", inner);

        /// <summary>
        /// A journal to read (it may be in use by a run), opened as <see cref="OwnerOnlyFiles.OpenOwned"/> opens it: one
        /// another user owns or can write, a symbolic link or anything but a regular file (a FIFO) is refused with an
        /// <see cref="UnsafePathException"/>, since what it says decides what a re-run sends.
        /// </summary>
        public static Stream OpenForReading(string path)
        {
            try
            {
                return OwnerOnlyFiles.OpenOwned(path);
            }
            catch (FileNotFoundException ex)
            {
                throw new FileNotFoundException($"No journal at '{path}'.", path, ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new UnauthorizedAccessException($"Access to the journal '{path}' was denied.", ex);
            }
        }

        /// <summary>ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows, where the share mode is the lock.</summary>
        private static bool IsSharingViolation(IOException ex)
        {
            if (!OwnerOnlyFiles.PlainFiles || ex is FileNotFoundException || ex is DirectoryNotFoundException || ex is PathTooLongException) return false;
            int code = ex.HResult & 0xFFFF;
            return code == 32 || code == 33;
        }
    }
}
