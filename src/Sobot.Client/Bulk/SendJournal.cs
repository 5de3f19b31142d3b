using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Bulk
{
    public enum JournalState
    {
        /// <summary>Recorded before its request went out; no outcome yet (a run in progress, or a crash).</summary>
        Pending,
        Sent,
        Failed,
        /// <summary>The request may or may not have been processed (500, timeout, dropped connection, or a crash while pending).</summary>
        Unknown,
    }

    /// <summary>The latest state of one row of a journal.</summary>
    public sealed class JournalEntry
    {
        public JournalEntry(string key, JournalState state, string? customerNumber, string? messageId, string? error, bool retryable, DateTimeOffset time)
        {
            Key = key;
            State = state;
            CustomerNumber = customerNumber;
            MessageId = messageId;
            Error = error;
            Retryable = retryable;
            Time = time;
        }

        /// <summary>Identifies the row: a hash of what would be sent, and its occurrence among identical rows.</summary>
        public string Key { get; }
        public JournalState State { get; }
        public string? CustomerNumber { get; }
        public string? MessageId { get; }
        public string? Error { get; }
        /// <summary>For Failed: the server certainly did not process it (429/503 after every retry), so a re-run sends it again.</summary>
        public bool Retryable { get; }
        public DateTimeOffset Time { get; }
    }

    /// <summary>The journal is in use by another run.</summary>
    public sealed class JournalLockedException : IOException
    {
        public JournalLockedException(string message, Exception inner) : base(message, inner) { }
    }

    /// <summary>
    /// An append-only, line-per-record log of a bulk send, so a re-run of the same command skips what was
    /// sent and never resends what may have been. A row's Pending record reaches the disk (fsync) before its
    /// request is sent; outcomes follow without waiting. Records from many rows share one fsync (group
    /// commit), which keeps durability cheap. One run at a time: a lock file beside the journal is held
    /// exclusively while it is open. Holds numbers, message ids and errors, never keys or message text.
    /// </summary>
    public sealed class SendJournal : IDisposable
    {
        internal const string Header = "{\"journal\":\"SobotPS\",\"version\":1}";
        private static readonly JsonSerializerOptions LineOptions = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        };

        private readonly FileStream _lock;
        private readonly FileStream _file;
        private readonly Dictionary<string, JournalEntry> _previous;
        private readonly object _gate = new object();
        private List<byte[]> _lines = new List<byte[]>();
        private List<TaskCompletionSource<bool>> _waiters = new List<TaskCompletionSource<bool>>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private readonly Task _writer;
        private bool _closing;
        private Exception? _failure;

        private SendJournal(string path, FileStream lockFile, FileStream file, Dictionary<string, JournalEntry> previous)
        {
            Path = path;
            _lock = lockFile;
            _file = file;
            _previous = previous;
            _writer = Task.Run(WriteLoopAsync);
        }

        public string Path { get; }

        /// <summary>The rows of earlier runs, by key.</summary>
        public IReadOnlyDictionary<string, JournalEntry> Previous => _previous;

        /// <summary>Opens (or creates) the journal for a run; throws <see cref="JournalLockedException"/> when another run holds it.</summary>
        public static SendJournal Open(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            FileStream lockFile;
            try
            {
                lockFile = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException ex) when (!(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException))
            {
                throw new JournalLockedException($"The journal '{full}' is in use by another run (its lock file '{full}.lock' is held). Wait for that run to end; two runs on one journal could send a row twice.", ex);
            }
            try
            {
                var previous = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
                foreach (var entry in ReadAll(full)) previous[entry.Key] = entry;
                var file = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.None);
                if (file.Length == 0)
                {
                    var header = Encoding.UTF8.GetBytes(Header + "\n");
                    file.Write(header, 0, header.Length);
                    file.Flush(true);
                }
                return new SendJournal(full, lockFile, file, previous);
            }
            catch
            {
                lockFile.Dispose();
                throw;
            }
        }

        /// <summary>The latest state of every row of a journal file (it may be in use).</summary>
        public static IReadOnlyList<JournalEntry> Read(string path)
        {
            var latest = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var entry in ReadAll(System.IO.Path.GetFullPath(path)))
            {
                if (!latest.ContainsKey(entry.Key)) order.Add(entry.Key);
                latest[entry.Key] = entry;
            }
            var result = new List<JournalEntry>(order.Count);
            foreach (var key in order) result.Add(latest[key]);
            return result;
        }

        private static IEnumerable<JournalEntry> ReadAll(string path)
        {
            if (!File.Exists(path)) yield break;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? first = reader.ReadLine();
            if (first is null) yield break;
            if (first.Trim() != Header)
                throw new InvalidDataException($"'{path}' is not a SobotPS send journal (its first line is not the journal header). Give -JournalPath a new file or one an earlier run wrote.");
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                Line? record = null;
                try
                {
                    record = JsonSerializer.Deserialize<Line>(line, LineOptions);
                }
                catch (JsonException)
                {
                    // A line cut short by a crash: its row stays at its earlier (pending) state.
                }
                if (record?.K is null || record.S is null) continue;
                yield return new JournalEntry(record.K, ParseState(record.S), record.N, record.Id, record.E, record.R,
                    DateTimeOffset.FromUnixTimeMilliseconds(record.T));
            }
        }

        private static JournalState ParseState(string s) => s switch
        {
            "S" => JournalState.Sent,
            "F" => JournalState.Failed,
            "U" => JournalState.Unknown,
            _ => JournalState.Pending,
        };

        /// <summary>Records that the row is about to be sent; the task completes once the record is on disk.</summary>
        public Task RecordPendingAsync(string key, string customerNumber) =>
            Append(new Line { K = key, S = "P", N = customerNumber }, durable: true);

        public void RecordSent(string key, string customerNumber, string messageId) =>
            Append(new Line { K = key, S = "S", N = customerNumber, Id = messageId }, durable: false);

        public void RecordFailed(string key, string customerNumber, string error, bool retryable) =>
            Append(new Line { K = key, S = "F", N = customerNumber, E = error, R = retryable }, durable: false);

        public void RecordUnknown(string key, string customerNumber, string error) =>
            Append(new Line { K = key, S = "U", N = customerNumber, E = error }, durable: false);

        private Task Append(Line line, bool durable)
        {
            line.T = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var bytes = JsonSerializer.SerializeToUtf8Bytes(line, LineOptions);
            TaskCompletionSource<bool>? waiter = durable ? new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            bool wake;
            lock (_gate)
            {
                if (_failure != null) throw new IOException("Writing the journal failed: " + _failure.Message, _failure);
                if (_closing) throw new ObjectDisposedException(nameof(SendJournal));
                wake = _lines.Count == 0;
                _lines.Add(bytes);
                if (waiter != null) _waiters.Add(waiter);
            }
            if (wake) _signal.Release();
            return waiter?.Task ?? Task.CompletedTask;
        }

        private async Task WriteLoopAsync()
        {
            var newline = new byte[] { (byte)'\n' };
            while (true)
            {
                await _signal.WaitAsync().ConfigureAwait(false);
                List<byte[]> lines;
                List<TaskCompletionSource<bool>> waiters;
                bool closing;
                lock (_gate)
                {
                    lines = _lines;
                    waiters = _waiters;
                    _lines = new List<byte[]>();
                    _waiters = new List<TaskCompletionSource<bool>>();
                    closing = _closing;
                }
                if (lines.Count > 0)
                {
                    try
                    {
                        foreach (var line in lines)
                        {
                            _file.Write(line, 0, line.Length);
                            _file.Write(newline, 0, 1);
                        }
                        _file.Flush(true); // one fsync for every record gathered since the last one
                        foreach (var w in waiters) w.TrySetResult(true);
                    }
                    catch (Exception ex)
                    {
                        lock (_gate) _failure = ex;
                        foreach (var w in waiters) w.TrySetException(ex);
                    }
                }
                if (closing) return;
            }
        }

        /// <summary>Writes what is left, fsyncs, and releases the lock.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_closing) return;
                _closing = true;
            }
            _signal.Release();
            try
            {
                _writer.GetAwaiter().GetResult();
            }
            finally
            {
                _file.Dispose();
                _lock.Dispose();
                _signal.Dispose();
            }
        }

        private sealed class Line
        {
            [JsonPropertyName("k")] public string? K { get; set; }
            [JsonPropertyName("s")] public string? S { get; set; }
            [JsonPropertyName("n")] public string? N { get; set; }
            [JsonPropertyName("id")] public string? Id { get; set; }
            [JsonPropertyName("e")] public string? E { get; set; }
            [JsonPropertyName("r")] public bool R { get; set; }
            [JsonPropertyName("t")] public long T { get; set; }
        }
    }
}
