using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace SobotPS
{
    /// <summary>
    /// The receivers this user started (Start-SobotReceiver, -Detach or not), so that Get-SobotReceiver finds them
    /// from any session: one small file per receiver in SobotPS/receivers under the local application data folder
    /// (owner-only: 0700 folder, 0600 files), named by pid, holding a <see cref="ReceiverRecord"/> and no secret.
    /// An entry is reported only while its process is still that receiver; the others are removed when read.
    /// </summary>
    internal static class ReceiverRegistry
    {
        /// <summary>Null when the account has no local application data folder (no home folder).</summary>
        public static string? Folder => Sobot.Client.SobotDataFolder.Path is string data ? Path.Combine(data, "receivers") : null;

        public static void Add(ReceiverRecord record)
        {
            Sobot.Client.OwnerOnlyFiles.EnsureFolder(Folder ?? throw new IOException("This account has no local application data folder (no home folder?)."));
            using var buffer = new MemoryStream();
            record.Write(buffer);
            Sobot.Client.OwnerOnlyFiles.Write(FileOf(record.ProcessId), buffer.ToArray());
        }

        /// <summary>The entries whose receiver still runs, oldest first; stale and unreadable entries are removed.</summary>
        public static List<ReceiverRecord> Running()
        {
            var running = new List<ReceiverRecord>();
            if (Folder is null || !Directory.Exists(Folder)) return running;
            foreach (string file in Directory.GetFiles(Folder, "receiver-*.json"))
            {
                ReceiverRecord record;
                try
                {
                    record = ReceiverRecord.Read(file);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException || ex is InvalidOperationException || ex is KeyNotFoundException || ex is FormatException || ex is UriFormatException || ex is InvalidDataException)
                {
                    Delete(file);
                    continue;
                }
                using var process = record.FindProcess();
                if (process is null) Delete(file);
                else running.Add(record);
            }
            running.Sort((a, b) => Nullable.Compare(a.StartedAt, b.StartedAt));
            return running;
        }

        /// <summary>Forgets the entry of <paramref name="record"/> (not one a later receiver with the same pid wrote).</summary>
        public static void Remove(ReceiverRecord record)
        {
            if (Folder is null) return;
            string path = FileOf(record.ProcessId);
            try
            {
                if (File.Exists(path) && ReceiverRecord.Read(path).ProcessStartedAt == record.ProcessStartedAt) Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException || ex is InvalidOperationException || ex is KeyNotFoundException)
            {
                // unreadable: the next Running() removes it
            }
        }

        private static string FileOf(int pid) => Path.Combine(Folder!, "receiver-" + pid.ToString(CultureInfo.InvariantCulture) + ".json");

        private static void Delete(string path)
        {
            try { File.Delete(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
        }
    }
}
