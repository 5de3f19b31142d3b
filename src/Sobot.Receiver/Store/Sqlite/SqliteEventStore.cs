using System.Data;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk before it returns
/// and survives a kill or a power cut.
///
/// Every write goes through one writer thread that commits whatever has queued up in one transaction (group commit,
/// <see cref="BatchedCommitter{TWrite}"/>, shared with PostgreSQL): one fsync acknowledges a whole batch. Readers use
/// their own pooled connections and never block the writer (WAL).
///
/// The cursor (seq) is the events table's AUTOINCREMENT rowid. With a single writer, rowids are handed out in commit
/// order, so a reader that has seen seq N can never later find a committed event below N. With several writers
/// (PostgreSQL, several receivers) that no longer holds by itself: <see cref="Postgres.PostgresEventStore"/> hands seqs
/// out in commit order under an advisory lock instead.
/// </summary>
public sealed class SqliteEventStore : IEventStore
{
    private readonly SqliteStoreOptions _options;
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writeConnection;
    private readonly SqliteWriteStatements _statements;
    private readonly BatchedCommitter<SqlitePendingWrite> _writer;
    private readonly TimeProvider _clock;
    private readonly SqliteCheckpointer _checkpointer;

    private SqliteEventStore(SqliteStoreOptions options, SqliteConnection writeConnection, string readConnectionString, TimeProvider clock)
    {
        _options = options;
        _writeConnection = writeConnection;
        _readConnectionString = readConnectionString;
        _clock = clock;
        _statements = new SqliteWriteStatements(writeConnection);
        _checkpointer = new SqliteCheckpointer(readConnectionString, options.CheckpointInterval);
        _writer = new BatchedCommitter<SqlitePendingWrite>(options.MaxBatch, Commits, Commit, IsStoreWide, threadName: "Sobot event store writer");
    }

    public CommitSignal Commits { get; } = new();

    public string Path => _options.Path;

    public static SqliteEventStore Open(SqliteStoreOptions options, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        string path = System.IO.Path.GetFullPath(options.Path);
        string? folder = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder)) Sobot.Client.OwnerOnlyFiles.CreateMissingFolder(folder);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = options.BusyTimeoutSeconds,
            Pooling = true,
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            // FULL: WAL frames are fsynced at every commit, so an acknowledged event is on the platter, not in the page cache.
            // SqliteCheckpointer copies WAL pages into the database beside the writer, so the writer's own checkpoint
            // (now only every 4,000 pages, ~16 MB) finds little left to do. That one is still needed: under a steady
            // stream of commits a checkpoint from another connection never catches up with the end of the WAL, and
            // only a complete checkpoint lets the WAL start over instead of growing without bound.
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=4000; PRAGMA journal_size_limit=67108864;");
            SqliteSchema.Apply(connection, clock.GetUtcNow());
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StoreUnavailableException($"Cannot open the event store at {path}: {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new SqliteEventStore(options with { Path = path }, connection, builder.ConnectionString, clock);
    }

    public async Task<AppendResult> AppendAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default) =>
        (AppendResult)await Enqueue(new SqlitePendingWrite(s => s.Append(delivery), addsEvents: delivery.Events.Count > 0)).ConfigureAwait(false);

    public Task<ConsumerPosition> SetConsumerAsync(string name, long position, string? holder = null, CancellationToken cancellationToken = default) =>
        WriteConsumerAsync<ConsumerPosition>(name, (s, now) => ConsumerStatements.SetAsync(s.Connection, s.Transaction!, name, position, holder, now, CancellationToken.None));

    public Task<ConsumerPosition> LeaseConsumerAsync(string name, string holder, string description, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        WriteConsumerAsync<ConsumerPosition>(name, (s, now) => ConsumerStatements.LeaseAsync(s.Connection, s.Transaction!, name, holder, description, now + ttl, now, CancellationToken.None));

    public Task ReleaseConsumerAsync(string name, string holder, CancellationToken cancellationToken = default) =>
        WriteConsumerAsync<bool>(name, async (s, _) =>
        {
            await ConsumerStatements.ReleaseAsync(s.Connection, s.Transaction!, name, holder, CancellationToken.None).ConfigureAwait(false);
            return true;
        });

    public Task<bool> DeleteConsumerAsync(string name, string? holder = null, CancellationToken cancellationToken = default) =>
        WriteConsumerAsync<bool>(name, (s, now) => ConsumerStatements.DeleteAsync(s.Connection, s.Transaction!, name, holder, now, CancellationToken.None));

    /// <summary>A consumer write through the writer, at the store's clock; the shared statements' asynchronous calls complete synchronously on SQLite.</summary>
    private async Task<T> WriteConsumerAsync<T>(string name, Func<SqliteWriteStatements, DateTimeOffset, Task<object>> write)
    {
        var now = _clock.GetUtcNow();
        var result = await Enqueue(new SqlitePendingWrite(s => write(s, now).GetAwaiter().GetResult(), addsEvents: false)).ConfigureAwait(false);
        return ConsumerStatements.Outcome<T>(name, result);
    }

    public async Task<OptOutRecord> AddOptOutAsync(string customerNumber, string source, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        string number = NumberKey.Require(customerNumber);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return (OptOutRecord)await Enqueue(new SqlitePendingWrite(s => s.AddOptOut(number, source, since), addsEvents: false)).ConfigureAwait(false);
    }

    public async Task<bool> RemoveOptOutAsync(string customerNumber, CancellationToken cancellationToken = default)
    {
        string number = NumberKey.Require(customerNumber);
        var now = _clock.GetUtcNow();
        return (bool)await Enqueue(new SqlitePendingWrite(s => s.RemoveOptOut(number, now), addsEvents: false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Through the writer like any write (SQLite has one writer), but as its own small transaction of at most
    /// <paramref name="maxRows"/> rows per table, so ingest waits for one short delete at most, never for the whole purge.
    /// </summary>
    public async Task<int> PruneAsync(DateTimeOffset receivedBefore, int maxRows, CancellationToken cancellationToken = default) =>
        (int)await Enqueue(new SqlitePendingWrite(s => s.Prune(receivedBefore, Math.Max(1, maxRows)), addsEvents: false, alone: true)).ConfigureAwait(false);

    private Task<object> Enqueue(SqlitePendingWrite write) => _writer.Enqueue(write);

    /// <summary>Applies the writes in one transaction on the writer connection and commits it (synchronously: this is the writer thread).</summary>
    private Task<object[]> Commit(IReadOnlyList<SqlitePendingWrite> writes)
    {
        var results = new object[writes.Count];
        using (var tx = _writeConnection.BeginTransaction(IsolationLevel.Serializable, deferred: false))
        {
            _statements.Enlist(tx);
            for (int i = 0; i < writes.Count; i++) results[i] = writes[i].Apply(_statements);
            tx.Commit();
        }
        return Task.FromResult(results);
    }

    /// <summary>Failures of the file rather than of one write's data: busy, locked, read-only, I/O error, full, cannot open.</summary>
    private static bool IsStoreWide(Exception ex) =>
        ex is IOException || (ex is SqliteException sqlite && (sqlite.SqliteErrorCode & 0xFF) is 5 or 6 or 8 or 10 or 13 or 14);

    public Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default) => WithReadConnection(connection =>
    {
        using var command = EventQueryCommand(connection, query);
        var events = new List<StoredEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(StoreRows.Event(reader));
        }
        return (IReadOnlyList<StoredEvent>)events;
    });

    /// <summary>The query of <see cref="ReadEventsAsync"/> (the tests read its plan).</summary>
    internal static SqliteCommand EventQueryCommand(SqliteConnection connection, EventQuery query)
    {
        var command = connection.CreateCommand();
        // SQLite's planner, without statistics, prefers events_kind because it yields seq order without a sort, and so
        // reads every inbound event after the cursor: from 0, the whole history. With numbers, it must search by them:
        // by number and effective time when a since is given (the lookup of answers already there), else by number
        // from the cursor (a long poll from the head).
        string index = query.CustomerNumbers is not { Count: > 0 } ? "" : query.Since != null ? " INDEXED BY events_customer_time" : " INDEXED BY events_customer";
        var sql = new StringBuilder($"SELECT {StoreRows.EventColumns} FROM events{index} WHERE seq > $after");
        command.Parameters.AddWithValue("$after", query.After);
        foreach (var (condition, value) in StoreRows.EventFilters(query))
        {
            string name = "$f" + command.Parameters.Count;
            sql.Append(" AND ").Append(condition.Replace("@", name, StringComparison.Ordinal));
            command.Parameters.AddWithValue(name, value);
        }
        foreach (var (column, several) in StoreRows.ManyValues(query))
        {
            // One JSON parameter however many values: SQLite caps bound variables, not array lengths.
            string name = "$f" + command.Parameters.Count;
            sql.Append(" AND ").Append(column).Append(" IN (SELECT value FROM json_each(").Append(name).Append("))");
            command.Parameters.AddWithValue(name, JsonSerializer.Serialize(several));
        }
        sql.Append(" ORDER BY seq LIMIT $limit");
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, EventQuery.MaxLimit));
        command.CommandText = sql.ToString();
        return command;
    }

    public Task<IReadOnlyList<EventKeys>> ReadEventKeysAsync(long after, int limit, CancellationToken cancellationToken = default) => WithReadConnection(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = StoreRows.EventKeysSql("$after", "$limit");
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, EventQuery.MaxLimit));
        var keys = new List<EventKeys>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) keys.Add(StoreRows.Keys(reader));
        return (IReadOnlyList<EventKeys>)keys;
    });

    public Task<long> GetHeadAsync(CancellationToken cancellationToken = default) => WithReadConnection(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(seq), 0) FROM events";
        return (long)command.ExecuteScalar()!;
    });

    public Task<MessageStatusRecord?> GetStatusAsync(string messageId, CancellationToken cancellationToken = default) => WithReadConnection(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StoreRows.StatusColumns} FROM message_status WHERE message_id = $id";
        command.Parameters.AddWithValue("$id", messageId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? StoreRows.Status(reader) : null;
    });

    public Task<IReadOnlyList<MessageStatusRecord>> GetStatusesAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default) => WithReadConnection(connection =>
    {
        var statuses = new List<MessageStatusRecord>(messageIds.Count);
        if (messageIds.Count == 0) return (IReadOnlyList<MessageStatusRecord>)statuses;
        using var command = connection.CreateCommand();
        // One parameter whatever the batch size: SQLite caps the number of bound variables, not the length of a JSON array.
        command.CommandText = $"SELECT {StoreRows.StatusColumns} FROM message_status WHERE message_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(messageIds));
        using var reader = command.ExecuteReader();
        while (reader.Read()) statuses.Add(StoreRows.Status(reader));
        return (IReadOnlyList<MessageStatusRecord>)statuses;
    });

    public Task<ConsumerPosition?> GetConsumerAsync(string name, CancellationToken cancellationToken = default) =>
        WithReadConnection(connection => ConsumerStatements.GetAsync(connection, null, name, _clock.GetUtcNow(), cancellationToken).GetAwaiter().GetResult());

    public Task<IReadOnlyList<ConsumerPosition>> ListConsumersAsync(CancellationToken cancellationToken = default) =>
        WithReadConnection(connection => ConsumerStatements.ListAsync(connection, _clock.GetUtcNow(), cancellationToken).GetAwaiter().GetResult());

    public Task<OptOutRecord?> GetOptOutAsync(string customerNumber, CancellationToken cancellationToken = default)
    {
        string number = NumberKey.Require(customerNumber);
        return WithReadConnection(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {StoreRows.OptOutColumns} FROM opt_outs WHERE customer_number = $number";
            command.Parameters.AddWithValue("$number", number);
            using var reader = command.ExecuteReader();
            return reader.Read() ? StoreRows.OptOut(reader) : null;
        });
    }

    public Task<IReadOnlyList<OptOutRecord>> ListOptOutsAsync(CancellationToken cancellationToken = default) => WithReadConnection(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StoreRows.OptOutColumns} FROM opt_outs ORDER BY customer_number";
        using var reader = command.ExecuteReader();
        var list = new List<OptOutRecord>();
        while (reader.Read()) list.Add(StoreRows.OptOut(reader));
        return (IReadOnlyList<OptOutRecord>)list;
    });

    public Task<IReadOnlyList<LastInboundRecord>> GetLastInboundAsync(IReadOnlyCollection<string> customerNumbers, CancellationToken cancellationToken = default)
    {
        var numbers = customerNumbers.Select(NumberKey.Require).Distinct(StringComparer.Ordinal).ToList();
        return WithReadConnection(connection =>
        {
            var list = new List<LastInboundRecord>(numbers.Count);
            if (numbers.Count == 0) return (IReadOnlyList<LastInboundRecord>)list;
            using var command = connection.CreateCommand();
            // One JSON parameter, as for statuses: SQLite caps bound variables, not array lengths.
            command.CommandText = $"SELECT {StoreRows.LastInboundColumns} FROM last_inbound WHERE customer_number IN (SELECT value FROM json_each($numbers))";
            command.Parameters.AddWithValue("$numbers", JsonSerializer.Serialize(numbers));
            using var reader = command.ExecuteReader();
            while (reader.Read())
                list.Add(StoreRows.LastInbound(reader));
            return (IReadOnlyList<LastInboundRecord>)list;
        });
    }

    public Task<StoreHealth> GetHealthAsync(CancellationToken cancellationToken = default) => WithReadConnection(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM events), (SELECT coalesce(max(seq), 0) FROM events), (SELECT received_at FROM events ORDER BY seq DESC LIMIT 1)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return new StoreHealth(reader.GetInt64(0), reader.GetInt64(1),
            reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
    });

    /// <summary>Runs a read on a pooled connection of its own; SQLite's calls are synchronous, so off the caller's thread.</summary>
    private Task<T> WithReadConnection<T>(Func<SqliteConnection, T> read) => Task.Run(() =>
    {
        try
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            return read(connection);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException("The event store could not be read: " + ex.Message, ex);
        }
    });

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Lets queued writes finish (their callers are owed an answer), then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        _statements.Dispose();
        _writeConnection.Dispose();
        using (var pooled = new SqliteConnection(_readConnectionString)) SqliteConnection.ClearPool(pooled);
    }
}
