using System.Runtime.InteropServices;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// One SQLite file serves one receiver. The receiver holds an operating-system lock on <c>&lt;store&gt;.lock</c> for as
/// long as it runs; the kernel drops it when the process ends, however it ends (SIGKILL included), so nothing goes
/// stale and nothing a user deletes gets around it: the file's presence means nothing, only the lock does (the file is
/// never deleted, since a second receiver could then lock a deleted file while a third creates a new one).
/// On Windows the share mode excludes any second opener; elsewhere flock(2), taken explicitly so that it holds even when
/// .NET's own locking is turned off (DOTNET_SYSTEM_IO_DISABLEFILELOCKING).
/// </summary>
public sealed class SqliteStoreLock : IDisposable
{
    private readonly FileStream _file;

    private SqliteStoreLock(FileStream file) => _file = file;

    public static string PathOf(string storePath) => storePath + ".lock";

    /// <summary>The lock, or null when another process holds it. Creates the store's folder (owner-only) when missing.</summary>
    public static SqliteStoreLock? TryAcquire(string storePath)
    {
        string path = PathOf(Path.GetFullPath(storePath));
        FileStream file;
        try
        {
            OwnerOnly.CreateFolderOf(path);
            file = new FileStream(path, OwnerOnly.File(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StartFailure.FileProblem("lock file of the store", path, creating: !File.Exists(path), ex);
        }
        if (!OperatingSystem.IsWindows() && Flock(file.SafeFileHandle, LockExclusive | LockNonBlocking) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            file.Dispose();
            if (IsWouldBlock(errno)) return null;
            throw new ReceiverStartException(StartFailure.StartFailed, $"Cannot lock {path} (error {errno}).");
        }
        return new SqliteStoreLock(file);
    }

    public void Dispose() => _file.Dispose();

    /// <summary>ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows; EWOULDBLOCK from .NET's flock elsewhere.</summary>
    private static bool IsHeldElsewhere(IOException ex) =>
        ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        && (OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 : IsWouldBlock(ex.HResult));

    /// <summary>EWOULDBLOCK: 11 on Linux, 35 on macOS and the BSDs.</summary>
    private static bool IsWouldBlock(int errno) => errno == (OperatingSystem.IsLinux() ? 11 : 35);

    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(Microsoft.Win32.SafeHandles.SafeFileHandle fd, int operation);
}
