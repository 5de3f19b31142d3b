using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sobot.Client.Receiver;

namespace Sobot.Client.PreSend
{
    /// <summary>
    /// The last opt-out list read from each webhook receiver, kept on disk so that sends can still skip numbers that
    /// said STOP while the receiver cannot be reached. One file per receiver URL (named by a hash of it) in a folder
    /// only the user can read (0700, files 0600); each file holds the receiver's URL, when the list was read, and the
    /// numbers with since when and why. Never the query key.
    /// </summary>
    public sealed class OptOutCache
    {
        private const int Version = 1;

        public OptOutCache(string folder)
        {
            if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("The opt-out cache needs a folder.", nameof(folder));
            Folder = Path.GetFullPath(folder);
        }

        public string Folder { get; }

        /// <summary>
        /// SobotPS/optouts in the user's local application data folder ($XDG_DATA_HOME or ~/.local/share on Linux,
        /// %LOCALAPPDATA% on Windows); null when the system gives none (no home folder).
        /// </summary>
        public static string? DefaultFolder()
        {
            // It may not exist yet (a fresh account); it is created, owner-only, on the first save.
            string? data = SobotDataFolder.Path;
            return data is null ? null : Path.Combine(data, "optouts");
        }

        /// <summary>The file that holds the list of this receiver.</summary>
        public string PathFor(Uri receiver)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(Identity(receiver)));
            var name = new StringBuilder("receiver-");
            for (int i = 0; i < 12; i++) name.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            return Path.Combine(Folder, name.Append(".json").ToString());
        }

        /// <summary>Keeps <paramref name="list"/> as this receiver's last list (replacing the one before).</summary>
        public void Save(Uri receiver, OptOutList list)
        {
            if (list is null) throw new ArgumentNullException(nameof(list));
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteNumber("version", Version);
                json.WriteString("receiver", Identity(receiver));
                json.WriteString("readAt", Time(list.ReadAt));
                json.WriteStartArray("optOuts");
                foreach (var o in list.Items)
                {
                    json.WriteStartObject();
                    json.WriteString("customerNumber", o.CustomerNumber);
                    json.WriteString("since", Time(o.Since));
                    json.WriteString("source", o.Source);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            // The folder is made 0700 again on each save (and the module's folder above it), the file written 0600 whole.
            OwnerOnlyFiles.EnsureFolder(Folder);
            OwnerOnlyFiles.Write(PathFor(receiver), buffer.ToArray());
        }

        /// <summary>
        /// This receiver's last list, or null when none was kept. A file that cannot be read as one (cut short, written
        /// by something else, for another URL) counts as none, since a list half read would let numbers through unseen.
        /// </summary>
        public OptOutList? Load(Uri receiver)
        {
            string path = PathFor(receiver);
            string text;
            try
            {
                if (!File.Exists(path)) return null;
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (String(root, "receiver") != Identity(receiver)) return null;
                var readAt = TimeOf(root, "readAt");
                if (readAt is null || !root.TryGetProperty("optOuts", out var items) || items.ValueKind != JsonValueKind.Array) return null;
                var optOuts = new List<ReceiverOptOut>();
                foreach (var o in items.EnumerateArray())
                {
                    string? number = String(o, "customerNumber");
                    var since = TimeOf(o, "since");
                    if (number is null || since is null) return null;
                    optOuts.Add(new ReceiverOptOut(number, since.Value, String(o, "source") ?? string.Empty));
                }
                return new OptOutList(optOuts, readAt.Value, OptOutListSource.Disk);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>The receiver as a cache key: scheme, host, port and path; no user info, query or fragment.</summary>
        private static string Identity(Uri receiver)
        {
            if (receiver is null) throw new ArgumentNullException(nameof(receiver));
            string path = receiver.AbsolutePath.TrimEnd('/');
            return receiver.Scheme.ToLowerInvariant() + "://" + receiver.Host.ToLowerInvariant() + ":" + receiver.Port.ToString(CultureInfo.InvariantCulture) + path + "/";
        }

        private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        private static string? String(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static DateTimeOffset? TimeOf(JsonElement e, string name) =>
            String(e, name) is string s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
    }
}
