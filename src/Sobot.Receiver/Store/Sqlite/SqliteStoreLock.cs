using Sobot.Client;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// One SQLite file serves one receiver. The receiver holds an operating-system lock on <c>&lt;store&gt;.lock</c> for as
/// long as it runs; the kernel drops it when the process ends, however it ends (SIGKILL included), so nothing goes
/// stale and nothing a user deletes gets around it: the file's presence means nothing, only the lock does (the file is
/// never deleted, since a second receiver could then lock a deleted file while a third creates a new one).
/// On Windows the share mode excludes any second opener; elsewhere flock(2), taken explicitly
/// (<see cref="OwnerOnlyFiles.TryLockExclusive"/>), so that it holds whatever .NET's own locking does. The file is
/// opened as every file beside the store: 0600, never through a symbolic link, refused when another user owns it.
/// </summary>
public sealed class SqliteStoreLock : IDisposable
{
    private readonly FileStream _file;

    private SqliteStoreLock(FileStream file) => _file = file;

    public static string PathOf(string storePath) => storePath + ".lock";

    /// <summary>The lock, or null when another process holds it. Creates the store's folder (owner-only) when missing.</summary>
    /// <param name="tightened">Told when the file was made 0600 (an older receiver's, readable by others).</param>
    public static SqliteStoreLock? TryAcquire(string storePath, Action<string>? tightened = null)
    {
        string path = PathOf(Path.GetFullPath(storePath));
        FileStream file;
        try
        {
            OwnerOnlyFiles.CreateMissingFolder(Path.GetDirectoryName(path)!);
            file = OwnerOnlyFiles.OpenReadWrite(path, FileShare.None, tightened);
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StartFailure.FileProblem("lock file of the store", path, creating: !File.Exists(path), ex);
        }
        bool locked;
        try
        {
            locked = OwnerOnlyFiles.TryLockExclusive(file, path);
        }
        catch (IOException ex)
        {
            file.Dispose();
            throw new ReceiverStartException(StartFailure.StartFailed, $"Cannot lock {path}: {ex.Message}", ex);
        }
        if (locked) return new SqliteStoreLock(file);
        file.Dispose();
        return null;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows, where the share mode is the lock.</summary>
    private static bool IsHeldElsewhere(IOException ex) =>
        OperatingSystem.IsWindows() && ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException) && (ex.HResult & 0xFFFF) is 32 or 33;
}
