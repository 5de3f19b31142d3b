using System;

namespace Sobot.Client
{
    /// <summary>
    /// The module's own folder: SobotPS in the user's local application data folder ($XDG_DATA_HOME or ~/.local/share
    /// on Linux, %LOCALAPPDATA% on Windows, where .NET puts it on macOS). It holds the
    /// opt-out lists kept per receiver, the list of receivers started, and the default receiver store; it and every
    /// folder in it are kept 0700 (<see cref="OwnerOnlyFiles.EnsureFolder"/>).
    /// </summary>
    public static class SobotDataFolder
    {
        /// <summary>The folder (read anew each time: tests and scheduled runs point XDG_DATA_HOME elsewhere), or null when the system gives no data folder (no home).</summary>
        public static string? Path
        {
            get
            {
                // DoNotVerify: it may not exist yet (a fresh account); it is created, owner-only, when first needed.
                string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
                return string.IsNullOrEmpty(data) ? null : System.IO.Path.Combine(data, "SobotPS");
            }
        }

        /// <summary>The data folder, or a folder inside it, created 0700 with the data folder itself (made 0700 even when it existed). Null without a data folder.</summary>
        public static string? Ensure(string? name = null)
        {
            string? root = Path;
            if (root is null) return null;
            string folder = name is null ? root : System.IO.Path.Combine(root, name);
            OwnerOnlyFiles.EnsureFolder(folder);
            return folder;
        }
    }
}
