using Sobot.Client;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// The files of a SQLite store, checked before SQLite opens them, since SQLite opens them by name itself: the store
/// (the user named it, so it may be a symbolic link, when the link is this user's or root's: it is resolved to its
/// target, and everything below is done on the target's path and folder, which SQLite is then given), its -wal, -shm
/// and -journal, and the receiver's own files beside it (never symbolic links). Each must be a regular file of this
/// user that group and others cannot write (<see cref="OwnerOnlyFiles"/>); one they can read, as an older receiver left
/// them (0644), is made 0600 and reported, once every check has passed (and the store only when it is empty or a
/// SQLite database). The folder is created 0700 when missing and refused when others can write it, sticky bit or not:
/// SQLite creates and removes the side files by name during the run, so another user who can create files there could
/// put their own -wal or -shm in between. A missing store is created 0600 here, so that SQLite, which gives its -wal
/// and -shm the store's mode, makes them 0600 too.
/// </summary>
public static class SqliteStoreFiles
{
    /// <summary>What SQLite and the receiver put beside the store.</summary>
    public static readonly string[] Beside = ["-wal", "-shm", "-journal", ".lock", ".receiver.json"];

    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <param name="tightened">Told each file that was made 0600.</param>
    /// <returns>The store's path to open: the target of a symbolic link the user named, or the path itself.</returns>
    public static string Prepare(string storePath, Action<string> tightened)
    {
        string store = OwnerOnlyFiles.ResolveOwnedLink(storePath);
        string folder = Path.GetDirectoryName(store) ?? store;
        OwnerOnlyFiles.CreateMissingFolder(folder);
        OwnerOnlyFiles.CheckFolder(folder, allowSticky: false);
        string[] files = [store, .. Beside.Select(suffix => store + suffix)];
        foreach (string file in files) OwnerOnlyFiles.CheckFile(file, followLink: false);
        foreach (string file in files)
            if (file != store || IsEmptyOrSqlite(store)) OwnerOnlyFiles.CheckFile(file, followLink: false, tightened);
        if (!File.Exists(store)) OwnerOnlyFiles.OpenReadWrite(store).Dispose();
        return store;
    }

    /// <summary>Whether the file is missing, empty or begins as a SQLite database does: only then is its mode changed.</summary>
    private static bool IsEmptyOrSqlite(string store)
    {
        if (!File.Exists(store)) return true;
        using var stream = OwnerOnlyFiles.OpenOwned(store);
        var head = new byte[SqliteHeader.Length];
        int read = 0, n;
        while (read < head.Length && (n = stream.Read(head, read, head.Length - read)) > 0) read += n;
        return read == 0 || head.AsSpan(0, read).SequenceEqual(SqliteHeader);
    }
}
