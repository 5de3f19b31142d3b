using Sobot.Client;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// The files of a SQLite store, checked before SQLite opens them, since SQLite opens them by name itself: the store
/// (the user named it, so it may be a symbolic link; its target is checked), its -wal, -shm and -journal, and the
/// receiver's own files beside it (never symbolic links). Each must be a regular file of this user that group and others
/// cannot write (<see cref="OwnerOnlyFiles"/>); one they can read, as an older receiver left them (0644), is made 0600
/// and reported. The folder is created 0700 when missing and refused when others can write it. A missing store is
/// created 0600 here, so that SQLite, which gives its -wal and -shm the store's mode, makes them 0600 too.
/// </summary>
public static class SqliteStoreFiles
{
    /// <summary>What SQLite and the receiver put beside the store.</summary>
    public static readonly string[] Beside = ["-wal", "-shm", "-journal", ".lock", ".receiver.json"];

    /// <param name="tightened">Told each file that was made 0600.</param>
    public static void Prepare(string storePath, Action<string> tightened)
    {
        string store = Path.GetFullPath(storePath);
        string folder = Path.GetDirectoryName(store) ?? store;
        OwnerOnlyFiles.CreateMissingFolder(folder);
        OwnerOnlyFiles.CheckFolder(folder);
        OwnerOnlyFiles.CheckFile(store, followLink: true, tightened);
        foreach (string suffix in Beside) OwnerOnlyFiles.CheckFile(store + suffix, followLink: false, tightened);
        if (!File.Exists(store)) OwnerOnlyFiles.OpenReadWrite(store).Dispose();
    }
}
