using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Bulk
{
    /// <summary>
    /// An append-only, line-per-record log of a bulk send, so a re-run of the same command skips what was
    /// sent and never resends what may have been. A row's Pending record reaches the disk (fsync) before its
    /// request is sent; outcomes follow without waiting. Records from many rows share one fsync (group
    /// commit), which keeps durability cheap. One run at a time: the run holds an operating-system lock on
    /// the journal file itself (see <see cref="JournalFile"/>). Holds numbers, message ids and errors, never
    /// keys or message text.
    /// </summary>
    public sealed class SendJournal : IDisposable
    {
        private readonly FileStream _file;
        private readonly Stream _out;
        private readonly Dictionary<string, JournalEntry> _previous;
        private readonly object _gate = new object();
        private List<byte[]> _lines = new List<byte[]>();
        private List<TaskCompletionSource<bool>> _waiters = new List<TaskCompletionSource<bool>>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private readonly Task _writer;
        private bool _closing;
        private Exception? _failure;

        private SendJournal(string path, FileStream file, Stream output, Dictionary<string, JournalEntry> previous, string? repair)
        {
            Path = path;
            _file = file;
            _out = output;
            _previous = previous;
            Repair = repair;
            _writer = Task.Run(WriteLoopAsync);
        }

        public string Path { get; }

        /// <summary>The rows of earlier runs, by key.</summary>
        public IReadOnlyDictionary<string, JournalEntry> Previous => _previous;

        /// <summary>What opening the journal repaired (a torn last line left by a crash), or null.</summary>
        public string? Repair { get; }

        /// <summary>Why the journal stopped accepting records (a full disk, a lost device), or null while it works.</summary>
        public Exception? Failure
        {
            get { lock (_gate) return _failure; }
        }

        /// <summary>
        /// Opens (or creates) the journal for a run. Throws <see cref="JournalLockedException"/> when another run
        /// holds it and <see cref="JournalUnusableException"/> when it cannot be used (not a journal, read-only).
        /// </summary>
        public static SendJournal Open(string path) => Open(path, null);

        /// <summary>As <see cref="Open(string)"/>; <paramref name="wrapWrites"/> lets tests make the disk fail.</summary>
        internal static SendJournal Open(string path, Func<Stream, Stream>? wrapWrites)
        {
            string full = System.IO.Path.GetFullPath(path);
            string? tightened = null;
            var file = JournalFile.OpenForWriting(full, _ => tightened = "It could be read by other users (an older version created it so); it is now readable by this user only.");
            try
            {
                string? repair = null;
                var previous = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
                if (file.Length > 0)
                {
                    // Before anything is changed: a file that is not a journal is never modified.
                    CheckHeader(file, full);
                    repair = RepairTail(file, full);
                }
                if (tightened != null) repair = repair is null ? tightened : repair + " " + tightened;
                if (file.Length == 0)
                {
                    var header = Encoding.UTF8.GetBytes(JournalRecord.Header + "\n");
                    file.Write(header, 0, header.Length);
                    file.Flush(true);
                }
                else
                {
                    file.Position = 0;
                    foreach (var record in JournalRecord.ReadAll(file, full)) previous[record.K!] = record.ToEntry();
                }
                file.Seek(0, SeekOrigin.End);
                return new SendJournal(full, file, wrapWrites?.Invoke(file) ?? file, previous, repair);
            }
            catch (IOException ex) when (!(ex is JournalUnusableException) && !(ex is JournalLockedException))
            {
                file.Dispose();
                throw new JournalUnusableException($"Cannot use the journal '{full}': {ex.Message}", ex);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Refuses a file whose first line is not the journal header, or, when it has no line end yet, is not the start
        /// of one (a header an interrupted run cut short, which <see cref="RepairTail"/> writes again).
        /// </summary>
        private static void CheckHeader(FileStream file, string path)
        {
            var expected = Encoding.UTF8.GetBytes(JournalRecord.Header);
            var head = new byte[expected.Length + 2];
            file.Position = 0;
            int read = 0, n;
            while (read < head.Length && (n = file.Read(head, read, head.Length - read)) > 0) read += n;
            int end = Array.IndexOf(head, (byte)'\n', 0, read);
            string first = Encoding.UTF8.GetString(head, 0, end < 0 ? read : end).Trim();
            bool ok = end >= 0 ? first == JournalRecord.Header
                : read <= expected.Length + 1 && JournalRecord.Header.StartsWith(first, StringComparison.Ordinal);
            if (!ok) throw JournalRecord.NotAJournal(path);
        }

        /// <summary>
        /// A crash or a full disk can leave the last line cut short. Appending after it would glue the next
        /// record onto it, so the fragment is removed first (or, when it is in fact a whole record, ended).
        /// Nothing is lost: a fragment was never a completed write, and a Pending record is complete before its
        /// request goes out.
        /// </summary>
        private static string? RepairTail(FileStream file, string path)
        {
            long length = file.Length;
            file.Position = length - 1;
            if (file.ReadByte() == '\n') return null;
            long lastNewline = LastNewline(file, length);
            file.Position = lastNewline + 1;
            var fragment = new byte[length - lastNewline - 1];
            int read = 0;
            while (read < fragment.Length)
            {
                int n = file.Read(fragment, read, fragment.Length - read);
                if (n <= 0) break;
                read += n;
            }
            string text = Encoding.UTF8.GetString(fragment, 0, read);
            if (lastNewline < 0)
            {
                if (!JournalRecord.Header.StartsWith(text.Trim(), StringComparison.Ordinal) && text.Trim() != JournalRecord.Header)
                    throw JournalRecord.NotAJournal(path);
                file.SetLength(0);
                return "The journal's header was cut short by an interrupted run; it was written again.";
            }
            if (JournalRecord.TryParse(text) != null)
            {
                file.Seek(0, SeekOrigin.End);
                file.WriteByte((byte)'\n');
                file.Flush(true);
                return "The journal's last line had lost its line end (an interrupted run); it was ended.";
            }
            file.SetLength(lastNewline + 1);
            file.Flush(true);
            return $"The journal's last line was cut short by an interrupted run ({fragment.Length} bytes); that fragment was removed. Rows it concerned keep their earlier state.";
        }

        private static long LastNewline(FileStream file, long length)
        {
            var buffer = new byte[4096];
            long end = length;
            while (end > 0)
            {
                int size = (int)Math.Min(buffer.Length, end);
                file.Position = end - size;
                int read = 0;
                while (read < size)
                {
                    int n = file.Read(buffer, read, size - read);
                    if (n <= 0) break;
                    read += n;
                }
                for (int i = read - 1; i >= 0; i--)
                    if (buffer[i] == '\n') return end - size + i;
                end -= size;
            }
            return -1;
        }

        /// <summary>
        /// The latest state of every row of a journal file, in the order rows first appeared (it may be in
        /// use by a run). A row refused before sending and sent by a later run after it was fixed counts once,
        /// as sent.
        /// </summary>
        public static IReadOnlyList<JournalEntry> Read(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            var latest = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
            var order = new List<string>();
            var rowsWithRequests = new HashSet<string>(StringComparer.Ordinal);
            using (var stream = JournalFile.OpenForReading(full))
            {
                foreach (var record in JournalRecord.ReadAll(stream, full))
                {
                    var entry = record.ToEntry();
                    if (!latest.ContainsKey(entry.Key)) order.Add(entry.Key);
                    latest[entry.Key] = entry;
                    if (!entry.Refused && entry.RowId != null) rowsWithRequests.Add(entry.RowId);
                }
            }
            var result = new List<JournalEntry>(order.Count);
            foreach (var key in order)
            {
                var entry = latest[key];
                if (entry.Refused && entry.RowId != null && rowsWithRequests.Contains(entry.RowId)) continue;
                result.Add(entry);
            }
            return result;
        }

        /// <summary>Records that the row is about to be sent; the task completes once the record is on disk.</summary>
        public Task RecordPendingAsync(string key, string customerNumber, string? rowId = null) =>
            Append(new JournalRecord { K = key, S = "P", N = customerNumber, I = rowId }, durable: true);

        public void RecordSent(string key, string customerNumber, string messageId) =>
            Append(new JournalRecord { K = key, S = "S", N = customerNumber, Id = messageId }, durable: false);

        public void RecordFailed(string key, string customerNumber, string error, bool retryable, string? rowId = null) =>
            Append(new JournalRecord { K = key, S = "F", N = customerNumber, E = error, R = retryable, I = rowId }, durable: false);

        public void RecordUnknown(string key, string customerNumber, string error) =>
            Append(new JournalRecord { K = key, S = "U", N = customerNumber, E = error }, durable: false);

        /// <summary>A row left out on purpose (an opted-out number): counted as skipped; a later run decides again.</summary>
        public void RecordSkipped(string key, string customerNumber, string reason, string? rowId = null) =>
            Append(new JournalRecord { K = key, S = "K", N = customerNumber, E = reason, I = rowId }, durable: false);

        /// <summary>A row refused before anything was sent (invalid input): counted as failed until a later run sends it.</summary>
        public void RecordRefused(string rowId, string? customerNumber, string error) =>
            Append(new JournalRecord { K = RefusedKey(rowId), S = "F", N = customerNumber, E = error, I = rowId, V = true }, durable: false);

        internal static string RefusedKey(string rowId) => "r:" + rowId;

        /// <summary>
        /// Waits until every record appended so far is on disk. Throws <see cref="JournalUnusableException"/>
        /// when the journal failed, now or earlier, so a run can end with one clear error instead of "all good".
        /// </summary>
        public void Flush()
        {
            var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_failure != null) throw new JournalUnusableException($"Writing the journal '{Path}' failed: {_failure.Message}", _failure);
                if (_closing) return;
                _waiters.Add(waiter);
                _lines.Add(Array.Empty<byte>());
            }
            _signal.Release();
            waiter.Task.GetAwaiter().GetResult();
        }

        private Task Append(JournalRecord line, bool durable)
        {
            line.T = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var bytes = line.ToUtf8();
            TaskCompletionSource<bool>? waiter = durable ? new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            bool wake;
            lock (_gate)
            {
                if (_failure != null) throw new JournalUnusableException($"Writing the journal '{Path}' failed: {_failure.Message}", _failure);
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
                        if (Failure != null) throw Failure;
                        foreach (var line in lines)
                        {
                            if (line.Length == 0) continue; // a Flush barrier
                            _out.Write(line, 0, line.Length);
                            _out.Write(newline, 0, 1);
                        }
                        if (!ReferenceEquals(_out, _file)) _out.Flush();
                        _file.Flush(true); // one fsync for every record gathered since the last one
                        foreach (var w in waiters) w.TrySetResult(true);
                    }
                    catch (Exception ex)
                    {
                        lock (_gate) _failure ??= ex;
                        var error = new JournalUnusableException($"Writing the journal '{Path}' failed: {ex.Message}", ex);
                        foreach (var w in waiters) w.TrySetException(error);
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
                if (!ReferenceEquals(_out, _file)) _out.Dispose();
                try { _file.Dispose(); }
                catch (IOException) { } // a failing disk: the failure was reported when it happened
                _signal.Dispose();
            }
        }
    }
}
