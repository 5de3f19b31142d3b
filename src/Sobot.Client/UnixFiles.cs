using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sobot.Client
{
    /// <summary>
    /// The few file calls <see cref="OwnerOnlyFiles"/> needs on Linux and macOS, through the .NET runtime's own native
    /// shim (libSystem.Native, present wherever PowerShell 7 or .NET runs): open with O_NOFOLLOW and O_EXCL and a mode,
    /// fstat/lstat/stat with the owner and the mode, fchmod, flock. Its flags are the runtime's platform-neutral
    /// ones; errno values are the system's (the same on Linux and macOS for the ones read here, except EWOULDBLOCK).
    /// </summary>
    internal static class UnixFiles
    {
        public const int ReadOnly = 0x0, WriteOnly = 0x1, ReadWrite = 0x2, CloseOnExec = 0x10, Create = 0x20, Exclusive = 0x40, NoFollow = 0x200;
        public const int TypeMask = 0xF000, TypeRegular = 0x8000, TypeDirectory = 0x4000, TypeLink = 0xA000;
        public const int Sticky = 0x200; // 01000
        public const int NoSuchFile = 2, Interrupted = 4, AccessDenied = 13, Exists = 17, NotPermitted = 1;
        private const int LockExclusive = 2, LockNonBlocking = 4;

        /// <summary>EWOULDBLOCK: 11 on Linux, 35 on macOS and the BSDs.</summary>
        public static int WouldBlock => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? 11 : 35;

        public static uint EffectiveUserId => GetEUid();

        /// <summary>The descriptor, or null with the errno.</summary>
        public static SafeFileHandle? Open(string path, int flags, int mode, out int errno)
        {
            IntPtr fd = NativeOpen(path, flags, mode);
            errno = fd == (IntPtr)(-1) ? Marshal.GetLastWin32Error() : 0;
            return errno == 0 ? new SafeFileHandle(fd, ownsHandle: true) : null;
        }

        /// <summary>The file's type, mode, owner; null with the errno when it cannot be read (ENOENT: there is none).</summary>
        public static FileStatus? Status(string path, bool followLink, out int errno)
        {
            var buffer = new byte[512];
            int result = followLink ? NativeStat(path, buffer) : NativeLStat(path, buffer);
            errno = result == 0 ? 0 : Marshal.GetLastWin32Error();
            return result == 0 ? new FileStatus(buffer) : (FileStatus?)null;
        }

        public static FileStatus Status(SafeFileHandle file, string path)
        {
            var buffer = new byte[512];
            if (NativeFStat(file, buffer) != 0) throw Failure(Marshal.GetLastWin32Error(), path);
            return new FileStatus(buffer);
        }

        public static void ChangeMode(SafeFileHandle file, int mode, string path)
        {
            if (NativeFChMod(file, mode) != 0) throw Failure(Marshal.GetLastWin32Error(), path);
        }

        public static void ChangeMode(string path, int mode)
        {
            if (NativeChMod(path, mode) != 0) throw Failure(Marshal.GetLastWin32Error(), path);
        }

        /// <summary>Creates one folder with this mode; false when it already exists.</summary>
        public static bool MakeFolder(string path, int mode)
        {
            if (NativeMkDir(path, mode) == 0) return true;
            int errno = Marshal.GetLastWin32Error();
            if (errno == Exists) return false;
            throw Failure(errno, path);
        }

        public static void Rename(string from, string to)
        {
            if (NativeRename(from, to) != 0) throw Failure(Marshal.GetLastWin32Error(), to);
        }

        /// <summary>The target a symbolic link holds, as written in it (maybe relative to the link's folder).</summary>
        public static string ReadLink(string path)
        {
            var buffer = new byte[4096];
            int length = NativeReadLink(path, buffer, buffer.Length);
            if (length < 0) throw Failure(Marshal.GetLastWin32Error(), path);
            if (length >= buffer.Length) throw new IOException($"The symbolic link's target is too long : '{path}'");
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }

        /// <summary>An exclusive flock(2), without waiting: false when another open file description holds one.</summary>
        public static bool TryLockExclusive(SafeFileHandle file, string path)
        {
            while (true)
            {
                if (NativeFLock(file, LockExclusive | LockNonBlocking) == 0) return true;
                int errno = Marshal.GetLastWin32Error();
                if (errno == WouldBlock) return false;
                if (errno != Interrupted) throw Failure(errno, path);
            }
        }

        /// <summary>The exception .NET itself would throw for this errno, naming the path.</summary>
        public static Exception Failure(int errno, string path)
        {
            switch (errno)
            {
                case NoSuchFile:
                    string? folder = Path.GetDirectoryName(path);
                    return folder != null && !Directory.Exists(folder)
                        ? new DirectoryNotFoundException($"Could not find a part of the path '{path}'.")
                        : (Exception)new FileNotFoundException($"Could not find file '{path}'.", path);
                case AccessDenied:
                case NotPermitted:
                    return new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
                default:
                    return new IOException($"{new System.ComponentModel.Win32Exception(errno).Message} : '{path}'", errno);
            }
        }

        /// <summary>The leading fields of the runtime's FileStatus: int Flags, int Mode (st_mode with the type bits), uint Uid, uint Gid.</summary>
        public readonly struct FileStatus
        {
            public FileStatus(byte[] buffer)
            {
                Mode = BitConverter.ToInt32(buffer, 4);
                Owner = BitConverter.ToUInt32(buffer, 8);
            }

            public int Mode { get; }
            public uint Owner { get; }
            public int Type => Mode & TypeMask;
            public int Permissions => Mode & 0xFFF;
            public bool IsRegular => Type == TypeRegular;
            public bool IsDirectory => Type == TypeDirectory;
            public bool IsLink => Type == TypeLink;
            /// <summary>Writable by group or others (022).</summary>
            public bool OthersCanWrite => (Mode & 0x12) != 0;
            /// <summary>Readable or writable, or anything, by group or others (077).</summary>
            public bool OthersHaveAccess => (Mode & 0x3F) != 0;
            public string Octal => "0" + Convert.ToString(Permissions, 8);
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Open", SetLastError = true)]
        private static extern IntPtr NativeOpen([MarshalAs(UnmanagedType.LPStr)] string path, int flags, int mode);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
        private static extern int NativeFStat(SafeFileHandle fd, byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int NativeStat([MarshalAs(UnmanagedType.LPStr)] string path, byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
        private static extern int NativeLStat([MarshalAs(UnmanagedType.LPStr)] string path, byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_GetEUid")]
        private static extern uint GetEUid();

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_FChMod", SetLastError = true)]
        private static extern int NativeFChMod(SafeFileHandle fd, int mode);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ChMod", SetLastError = true)]
        private static extern int NativeChMod([MarshalAs(UnmanagedType.LPStr)] string path, int mode);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_MkDir", SetLastError = true)]
        private static extern int NativeMkDir([MarshalAs(UnmanagedType.LPStr)] string path, int mode);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Rename", SetLastError = true)]
        private static extern int NativeRename([MarshalAs(UnmanagedType.LPStr)] string from, [MarshalAs(UnmanagedType.LPStr)] string to);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ReadLink", SetLastError = true)]
        private static extern int NativeReadLink([MarshalAs(UnmanagedType.LPStr)] string path, byte[] buffer, int bufferSize);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_FLock", SetLastError = true)]
        private static extern int NativeFLock(SafeFileHandle fd, int operation);
    }
}
