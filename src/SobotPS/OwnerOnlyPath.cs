using System.IO;
using System.Runtime.InteropServices;

namespace SobotPS
{
    /// <summary>Folders and files made owner-only on Unix (chmod 0700 / 0600); on Windows they take the folder's access list.</summary>
    internal static class OwnerOnlyPath
    {
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Creates the folder (and any missing parent) for its owner alone; an existing folder is left as it is.</summary>
        public static void CreateFolder(string folder)
        {
            string full = Path.GetFullPath(folder);
            if (Directory.Exists(full)) return;
            string? parent = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(parent)) CreateFolder(parent!);
            Directory.CreateDirectory(full);
            Restrict(full, folder: true);
        }

        public static void Restrict(string path, bool folder)
        {
            if (!IsWindows && Chmod(path, folder ? 0x1C0 : 0x180) != 0)
                throw new IOException($"Cannot make {path} private to its owner (error {Marshal.GetLastWin32Error()}).");
        }

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int Chmod([MarshalAs(UnmanagedType.LPStr)] string path, int mode);
    }
}
