namespace Sobot.Receiver;

/// <summary>
/// Files that hold secrets or describe the receiver, and the folders made for them, are created for their owner
/// alone (0600 files, 0700 folders); on Windows they take the folder's access list.
/// </summary>
public static class OwnerOnly
{
    /// <summary>Creates the folder of <paramref name="path"/> when it is missing.</summary>
    public static void CreateFolderOf(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (string.IsNullOrEmpty(folder) || Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Options that create a missing file readable and writable by its owner only.</summary>
    public static FileStreamOptions File(FileMode mode, FileAccess access, FileShare share = FileShare.Read)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }
}
