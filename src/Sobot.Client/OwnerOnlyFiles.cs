using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Sobot.Client
{
    /// <summary>
    /// Files only their owner can read (the opt-out list kept on disk, a send journal): the folder is made 0700 and
    /// each file 0600 before a byte is written into it, then moved over the old one, so a reader sees the old file
    /// or the new one, never a part. On Windows the
    /// user's local application data folder is already the user's alone (its ACL), and no mode is set.
    /// </summary>
    public static class OwnerOnlyFiles
    {
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private const uint FolderMode = 0x1C0; // 0700
        private const uint FileMode = 0x180;   // 0600

        /// <summary>Creates the folder, and any parent missing, owner-only; the folder itself is made 0700 even when it existed (for the module's own folders).</summary>
        public static void EnsureFolder(string folder)
        {
            string full = CreateMissingFolder(folder);
            SetMode(full, FolderMode);
        }

        /// <summary>Creates the folder and any parent missing, each 0700; a folder that exists is left as it is (a folder the user named). Returns the full path.</summary>
        public static string CreateMissingFolder(string folder)
        {
            string full = Path.GetFullPath(folder);
            var missing = new System.Collections.Generic.Stack<string>();
            for (string? f = full; !string.IsNullOrEmpty(f) && !Directory.Exists(f); f = Path.GetDirectoryName(f)) missing.Push(f!);
            Directory.CreateDirectory(full);
            foreach (var created in missing) SetMode(created, FolderMode);
            return full;
        }

        public static void Write(string path, string text)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            EnsureFolder(folder);
            string temp = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    SetMode(temp, FileMode);
                    var bytes = new UTF8Encoding(false).GetBytes(text);
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        /// <summary>
        /// Makes a file just created (nothing in it yet) readable by its owner only. False when the file system
        /// keeps no modes (a FAT or SMB mount): there is then nothing to restrict, and the caller goes on.
        /// </summary>
        public static bool Restrict(string file) => IsWindows || NativeChmod(file, FileMode) == 0;

        private static void SetMode(string path, uint mode)
        {
            if (IsWindows) return;
            if (NativeChmod(path, mode) != 0)
                throw new IOException($"Could not make '{path}' readable by its owner only (error {Marshal.GetLastWin32Error()}).");
        }

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int NativeChmod([MarshalAs(UnmanagedType.LPStr)] string path, uint mode);
    }
}
