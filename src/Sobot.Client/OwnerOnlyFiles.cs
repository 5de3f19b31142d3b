using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sobot.Client
{
    /// <summary>
    /// The one way the module and the receiver create and open files that hold customer data or secrets (the store
    /// and its side files, logs, journals, reports, the opt-out list kept on disk, state files, token and key files),
    /// so that another user of the machine can neither read them nor make us write where they choose.
    /// On Linux and macOS:
    /// <list type="bullet">
    /// <item>Folders it creates are 0700, every missing parent included; files it creates are 0600 from the start.</item>
    /// <item>A folder a file goes into that group or others can write, or that another user owns, is refused, unless it
    /// has the sticky bit (like /tmp: nobody else can remove or replace our files there, and the file checks below
    /// stop what they planted); so is any folder above it up to the root. Root's folders are trusted. A SQLite
    /// store's folder gets no sticky exception (SQLite makes its side files by name there).</item>
    /// <item>A file is opened without following a symbolic link (O_NOFOLLOW, O_EXCL for new ones), or written whole to a
    /// new file that is then renamed over it. An existing one must be a regular file owned by this user (the effective
    /// uid) that group and others cannot write.</item>
    /// <item>A secret (token, key) is refused, as ssh refuses a private key, when group or others can read or write it,
    /// or when another user owns it (root excepted); the user named it, so a symbolic link to it is followed (when the
    /// link is this user's or root's) and its target checked.</item>
    /// <item>A file only read (a journal, a state file) must be a regular file of this user or root that group and others
    /// cannot write, opened without following a link.</item>
    /// </list>
    /// Every refusal is an <see cref="UnsafePathException"/> naming the path and the fix. On Windows there are no modes:
    /// files are opened plainly and take the folder's access list (keep that folder private).
    /// </summary>
    public static class OwnerOnlyFiles
    {
        /// <summary>
        /// True where files are opened plainly (no modes, no owners; a share mode is the lock): on Windows. The .NET Framework
        /// test leg also sets it, to run the journal and cache tests through the code .NET Framework runs on Windows on Mono
        /// on Linux, which lacks the native shim the Unix path calls. The module and the receiver never set it.
        /// </summary>
        internal static bool PlainFiles { get; set; } = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private const int FolderMode = 0x1C0; // 0700
        private const int FileMode = 0x180;   // 0600
        private const int BufferSize = 1 << 16;

        // ---- Folders ----

        /// <summary>Creates the folder and any parent missing, each 0700; a folder that exists is left as it is (a folder the user named). Returns the full path.</summary>
        public static string CreateMissingFolder(string folder)
        {
            string full = Path.GetFullPath(folder);
            if (PlainFiles)
            {
                Directory.CreateDirectory(full);
                return full;
            }
            var missing = new Stack<string>();
            for (string? f = full; !string.IsNullOrEmpty(f) && !Directory.Exists(f); f = Path.GetDirectoryName(f)) missing.Push(f!);
            foreach (var created in missing)
            {
                // mkdir with 0700, then chmod: a umask can only take bits away, and an odd one could take the owner's.
                if (UnixFiles.MakeFolder(created, FolderMode)) UnixFiles.ChangeMode(created, FolderMode);
            }
            return full;
        }

        /// <summary>
        /// Refuses a folder that another user could put files into or replace ours in: writable by group or others
        /// without the sticky bit (with <paramref name="allowSticky"/> false, with it too), or owned by another user
        /// (root excepted). Every folder above it up to the root is checked the same way (sticky ones allowed), as ssh's
        /// StrictModes does: whoever can write a folder on the way can swap the one below it. A folder on the way that
        /// is a symbolic link must itself be this user's or root's. A missing folder passes (creating it is the
        /// caller's part); the folders above it that exist are checked.
        /// </summary>
        public static void CheckFolder(string folder, bool allowSticky = true)
        {
            if (PlainFiles) return;
            string full = Path.GetFullPath(folder);
            bool first = true;
            for (string? f = full; !string.IsNullOrEmpty(f); f = Path.GetDirectoryName(f), first = false)
            {
                var link = UnixFiles.Status(f!, followLink: false, out _);
                if (link is null) continue; // missing: the folders above are still checked
                if (link.Value.IsLink && !IsOwnersOrRoots(link.Value))
                    throw new UnsafePathException(f!,
                        $"The folder '{f}' is a symbolic link that belongs to another user (uid {link.Value.Owner}), who could point it elsewhere.",
                        RemoveFix(f!));
                var status = link.Value.IsLink ? UnixFiles.Status(f!, followLink: true, out _) : link;
                if (status is null || !status.Value.IsDirectory) continue;
                var s = status.Value;
                string which = first ? $"The folder '{f}'" : $"The folder '{f}', above '{full}',";
                if (!IsOwnersOrRoots(s))
                    throw new UnsafePathException(f!,
                        $"{which} belongs to another user (uid {s.Owner}), who could replace or plant files in it.",
                        "use a folder of your own.");
                if (s.OthersCanWrite && ((s.Mode & UnixFiles.Sticky) == 0 || (first && !allowSticky)))
                    throw new UnsafePathException(f!,
                        (s.Mode & UnixFiles.Sticky) == 0
                            ? $"{which} can be written by other users (mode {s.Octal}), who could replace or plant files in it."
                            : $"{which} can be written by other users (mode {s.Octal}); the sticky bit is not enough for a SQLite store, whose side files are created and removed by name during the run.",
                        $"chmod go-w {Quote(f!)}");
            }
        }

        /// <summary>
        /// A folder of the module's own (the opt-out lists, the receivers it started): created when missing, and made
        /// 0700 even when it existed, together with every folder between it and the module's data folder
        /// (<see cref="SobotDataFolder"/>), which an older version made 0755. Refused when another user owns one.
        /// </summary>
        public static void EnsureFolder(string folder)
        {
            string full = CreateMissingFolder(folder);
            if (PlainFiles) return;
            string? root = SobotDataFolder.Path;
            var chain = new List<string> { full };
            if (root != null && IsInside(full, root))
                for (string? f = Path.GetDirectoryName(full); f != null && IsInside(f, root); f = Path.GetDirectoryName(f)) chain.Add(f);
            foreach (var f in chain)
            {
                var status = UnixFiles.Status(f, followLink: true, out int errno) ?? throw UnixFiles.Failure(errno, f);
                if (status.Owner != UnixFiles.EffectiveUserId)
                    throw new UnsafePathException(f, $"The folder '{f}' belongs to another user (uid {status.Owner}), who could read or replace what is kept in it.", RemoveFix(f));
                if ((status.Permissions & ~FolderMode) != 0) UnixFiles.ChangeMode(f, FolderMode);
            }
        }

        // ---- Files that hold customer data ----

        /// <summary>
        /// Opens a file for reading and writing (a journal, a log, a lock file), creating it 0600 when missing, never
        /// through a symbolic link. An existing one must be a regular file of this user that group and others cannot
        /// write; with <paramref name="tightened"/>, one they can read (left so by an older version) is made 0600 and
        /// reported there. The folder is checked (<see cref="CheckFolder"/>), not created. The stream is at offset 0 and
        /// holds no lock (<see cref="TryLockExclusive"/>). On Windows: a plain FileStream with <paramref name="windowsShare"/>.
        /// </summary>
        public static FileStream OpenReadWrite(string path, FileShare windowsShare = FileShare.Read, Action<string>? tightened = null)
        {
            string full = Path.GetFullPath(path);
            if (PlainFiles) return new FileStream(full, System.IO.FileMode.OpenOrCreate, FileAccess.ReadWrite, windowsShare, BufferSize);
            CheckFolder(Path.GetDirectoryName(full) ?? full);
            var handle = OpenUnix(full, UnixFiles.ReadWrite, create: true, tightened);
            return new FileStream(handle, FileAccess.ReadWrite, BufferSize);
        }

        /// <summary>
        /// Takes an exclusive lock on a stream from <see cref="OpenReadWrite"/> for as long as it stays open (flock(2); the
        /// kernel drops it with the process, however it ends). False when another holds it. On Windows the share mode
        /// given when opening did it, and this is true.
        /// </summary>
        public static bool TryLockExclusive(FileStream file, string path)
        {
            if (file is null) throw new ArgumentNullException(nameof(file));
            return PlainFiles || UnixFiles.TryLockExclusive(file.SafeFileHandle, path);
        }

        /// <summary>
        /// Checks a file that another component opens by its name (SQLite's store and its -wal and -shm): nothing to do
        /// when it is missing; otherwise a regular file of this user that group and others cannot write, and not a
        /// symbolic link unless <paramref name="followLink"/> (the store path the user named). With
        /// <paramref name="tightened"/>, one group or others can read is made 0600 and reported there.
        /// </summary>
        public static void CheckFile(string path, bool followLink, Action<string>? tightened = null)
        {
            if (PlainFiles) return;
            string full = Path.GetFullPath(path);
            var status = UnixFiles.Status(full, followLink, out int errno);
            if (status is null)
            {
                if (errno == UnixFiles.NoSuchFile) return;
                throw UnixFiles.Failure(errno, full);
            }
            CheckOwnedFile(status.Value, full);
            if (tightened is null || !status.Value.OthersHaveAccess) return;
            using var handle = OpenUnix(full, UnixFiles.ReadOnly | (followLink ? 0 : UnixFiles.NoFollow), create: false, tightened);
        }

        /// <summary>
        /// Replaces the file's content whole: written to a new 0600 file beside it, flushed to disk, then renamed over
        /// it, so a reader sees the old file or the new one, never a part, and a symbolic link there is never written
        /// through. An existing file there must pass the same checks as in <see cref="OpenReadWrite"/>; a symbolic link
        /// is refused. The folder must exist and is checked.
        /// </summary>
        public static void Write(string path, byte[] content)
        {
            if (content is null) throw new ArgumentNullException(nameof(content));
            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full) ?? ".";
            CheckFolder(folder);
            if (!PlainFiles)
            {
                var existing = UnixFiles.Status(full, followLink: false, out int errno);
                if (existing is null && errno != UnixFiles.NoSuchFile) throw UnixFiles.Failure(errno, full);
                if (existing != null) CheckOwnedFile(existing.Value, full);
            }
            string temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = CreateNewStream(temp) ?? throw UnixFiles.Failure(UnixFiles.Exists, temp))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(true);
                }
                if (!PlainFiles) UnixFiles.Rename(temp, full);
                else if (File.Exists(full)) File.Replace(temp, full, null);
                else File.Move(temp, full);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        /// <summary>As <see cref="Write(string, byte[])"/>, the text in UTF-8 without a byte-order mark.</summary>
        public static void Write(string path, string text) => Write(path, new UTF8Encoding(false).GetBytes(text ?? throw new ArgumentNullException(nameof(text))));

        /// <summary>
        /// Opens a file only to read it (a journal, a receiver's state file), never through a symbolic link: it must be a
        /// regular file owned by this user or root that group and others cannot write, checked before opening (so that a
        /// FIFO put there cannot hold the open) and again on the open file. Refused with an
        /// <see cref="UnsafePathException"/> otherwise. On Windows: a plain FileStream that lets writers share it.
        /// </summary>
        public static FileStream OpenOwned(string path)
        {
            string full = Path.GetFullPath(path);
            if (PlainFiles) return new FileStream(full, System.IO.FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize);
            var before = UnixFiles.Status(full, followLink: false, out int errno) ?? throw UnixFiles.Failure(errno, full);
            CheckOwnedFile(before, full, rootToo: true, reading: true);
            var handle = UnixFiles.Open(full, UnixFiles.ReadOnly | UnixFiles.NoFollow | UnixFiles.CloseOnExec, 0, out errno) ?? throw UnixFiles.Failure(errno, full);
            try
            {
                CheckOwnedFile(UnixFiles.Status(handle, full), full, rootToo: true, reading: true);
                return new FileStream(handle, FileAccess.Read, BufferSize);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        /// <summary>The whole content of a file, opened as <see cref="OpenOwned"/> opens it.</summary>
        public static byte[] ReadOwned(string path)
        {
            using var stream = OpenOwned(path);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        /// <summary>
        /// The file a path names at the end of its symbolic links (a path that is no link, or is missing, is itself). Each
        /// link on the way must be this user's or root's, or it is refused: another user's link, planted in a shared
        /// folder, would choose which file is used. The folders on the way are not resolved.
        /// </summary>
        public static string ResolveOwnedLink(string path)
        {
            string full = Path.GetFullPath(path);
            if (PlainFiles) return full;
            for (int hops = 0; ; hops++)
            {
                var status = UnixFiles.Status(full, followLink: false, out int errno);
                if (status is null)
                {
                    if (errno == UnixFiles.NoSuchFile) return full;
                    throw UnixFiles.Failure(errno, full);
                }
                if (!status.Value.IsLink) return full;
                if (!IsOwnersOrRoots(status.Value))
                    throw new UnsafePathException(full, $"'{full}' is a symbolic link that belongs to another user (uid {status.Value.Owner}), who chose where it points.", RemoveFix(full));
                if (hops >= 40) throw new IOException($"Too many levels of symbolic links : '{path}'");
                string target = UnixFiles.ReadLink(full);
                full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full) ?? "/", target));
            }
        }

        // ---- Secrets ----

        /// <summary>
        /// Creates a secret file (a token, a key) 0600 with this content, never through a symbolic link; its folder and
        /// any parent missing are created 0700, and an existing folder is checked. False, writing nothing, when the file
        /// already exists (read it with <see cref="ReadSecret"/>).
        /// </summary>
        public static bool TryCreateSecret(string path, string secret)
        {
            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full) ?? ".";
            CreateMissingFolder(folder);
            CheckFolder(folder);
            if (PlainFiles && File.Exists(full)) return false;
            using (var stream = CreateNewStream(full))
            {
                if (stream is null) return false;
                var bytes = new UTF8Encoding(false).GetBytes(secret);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(true);
            }
            return true;
        }

        /// <summary>
        /// Reads a secret file the user named (a symbolic link to it is followed). Refused, as ssh refuses a private key,
        /// when group or others can read or write it (<c>chmod 600</c>), or when another user owns it (root excepted):
        /// whoever else could read it knows the secret, and whoever else wrote it chose it.
        /// </summary>
        public static string ReadSecret(string path)
        {
            string full = Path.GetFullPath(path);
            if (PlainFiles) return File.ReadAllText(full);
            // A link the user named is followed, when every link on the way is theirs or root's.
            full = ResolveOwnedLink(full);
            // Checked before opening too, so that a FIFO put there cannot hold the open.
            var before = UnixFiles.Status(full, followLink: false, out int errno) ?? throw UnixFiles.Failure(errno, full);
            CheckSecret(before, full);
            var handle = UnixFiles.Open(full, UnixFiles.ReadOnly | UnixFiles.NoFollow | UnixFiles.CloseOnExec, 0, out errno) ?? throw UnixFiles.Failure(errno, full);
            using var stream = new FileStream(handle, FileAccess.Read, 4096);
            CheckSecret(UnixFiles.Status(handle, full), full);
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            return reader.ReadToEnd();
        }

        // ---- Shared checks ----

        /// <summary>Opens an existing file (or, with <paramref name="create"/>, a new one, 0600) without following a link, and checks it.</summary>
        private static SafeFileHandle OpenUnix(string full, int access, bool create, Action<string>? tightened)
        {
            for (int attempt = 0; ; attempt++)
            {
                if (create)
                {
                    var created = UnixFiles.Open(full, access | UnixFiles.Create | UnixFiles.Exclusive | UnixFiles.NoFollow | UnixFiles.CloseOnExec, FileMode, out int createErrno);
                    if (created != null)
                    {
                        UnixFiles.ChangeMode(created, FileMode, full);
                        return created;
                    }
                    if (createErrno != UnixFiles.Exists) throw UnixFiles.Failure(createErrno, full);
                }
                // It exists: its type is checked before it is opened, so that a FIFO put there cannot hold the open.
                var status = UnixFiles.Status(full, followLink: (access & UnixFiles.NoFollow) == 0 && !create, out int statErrno);
                if (status is null)
                {
                    if (statErrno == UnixFiles.NoSuchFile && create && attempt < 3) continue; // removed meanwhile: create it
                    throw UnixFiles.Failure(statErrno, full);
                }
                CheckOwnedFile(status.Value, full);
                int flags = (access & 3) | UnixFiles.CloseOnExec | (create ? UnixFiles.NoFollow : access & UnixFiles.NoFollow);
                var handle = UnixFiles.Open(full, flags, 0, out int errno);
                if (handle is null)
                {
                    if (errno == UnixFiles.NoSuchFile && create && attempt < 3) continue;
                    if (UnixFiles.Status(full, followLink: false, out _) is { IsLink: true } link) CheckOwnedFile(link, full);
                    throw UnixFiles.Failure(errno, full);
                }
                try
                {
                    var opened = UnixFiles.Status(handle, full);
                    CheckOwnedFile(opened, full);
                    if (tightened != null && opened.OthersHaveAccess)
                    {
                        UnixFiles.ChangeMode(handle, opened.Permissions & FileMode, full); // the owner's read and write, nothing else
                        tightened(full);
                    }
                    return handle;
                }
                catch
                {
                    handle.Dispose();
                    throw;
                }
            }
        }

        /// <summary>A file written or appended by us (or, <paramref name="reading"/>, read): regular, ours (or, <paramref name="rootToo"/>, root's), not writable by group or others.</summary>
        private static void CheckOwnedFile(UnixFiles.FileStatus s, string full, bool rootToo = false, bool reading = false)
        {
            if (s.IsLink)
                throw new UnsafePathException(full, reading
                    ? $"'{full}' is a symbolic link, which is not followed where a file of this account is read (another user could have planted it)."
                    : $"'{full}' is a symbolic link, which is not followed where a file is written (it could point at any file of this account).", RemoveFix(full));
            if (!s.IsRegular)
                throw new UnsafePathException(full, $"'{full}' is not a regular file.", RemoveFix(full));
            if (s.Owner != UnixFiles.EffectiveUserId && !(rootToo && s.Owner == 0))
                throw new UnsafePathException(full, $"The file '{full}' is owned by uid {s.Owner}, not by this user: that user could read or change what is written into it.", RemoveFix(full));
            if (s.OthersCanWrite)
                throw new UnsafePathException(full, $"The file '{full}' can be written by other users (mode {s.Octal}).", $"chmod go-w {Quote(full)}");
        }

        /// <summary>A secret: regular, ours or root's, nothing for group and others.</summary>
        private static void CheckSecret(UnixFiles.FileStatus s, string full)
        {
            if (!s.IsRegular)
                throw new UnsafePathException(full, $"The secret file '{full}' is not a regular file.", RemoveFix(full));
            if (!IsOwnersOrRoots(s))
                throw new UnsafePathException(full, $"The secret file '{full}' is owned by uid {s.Owner}, not by this user: whoever wrote it chose the secret.", RemoveFix(full));
            if (s.OthersHaveAccess)
                throw new UnsafePathException(full, $"The secret file '{full}' can be read or written by other users (mode {s.Octal}), so it is not a secret.", $"chmod 600 {Quote(full)}");
        }

        private static bool IsOwnersOrRoots(UnixFiles.FileStatus s) => s.Owner == UnixFiles.EffectiveUserId || s.Owner == 0;

        /// <summary>A new file, 0600, never through a link (O_EXCL); null when something is there already.</summary>
        private static FileStream? CreateNewStream(string full)
        {
            if (PlainFiles) return new FileStream(full, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
            var handle = UnixFiles.Open(full, UnixFiles.WriteOnly | UnixFiles.Create | UnixFiles.Exclusive | UnixFiles.NoFollow | UnixFiles.CloseOnExec, FileMode, out int errno);
            if (handle is null) return errno == UnixFiles.Exists ? null : throw UnixFiles.Failure(errno, full);
            UnixFiles.ChangeMode(handle, FileMode, full);
            return new FileStream(handle, FileAccess.Write, BufferSize);
        }

        private static string RemoveFix(string full) => $"remove it (rm {Quote(full)}), or use another path.";

        /// <summary>The path in single quotes for a POSIX shell, a quote inside written '\''.</summary>
        internal static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";

        private static bool IsInside(string path, string root)
        {
            string p = path.TrimEnd(Path.DirectorySeparatorChar), r = root.TrimEnd(Path.DirectorySeparatorChar);
            return p == r || p.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        }
    }
}
