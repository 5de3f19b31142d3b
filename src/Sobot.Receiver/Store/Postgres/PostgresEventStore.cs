using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Sobot.Receiver.Store.Postgres;

/// <summary>
/// The shared store: several receivers on one PostgreSQL database form one service. Same guarantees as the SQLite
/// store: a delivery is committed with synchronous_commit on before its 200; an event is stored once by its dedup key
/// (a unique index, so the same webhook stored by two receivers is one row); statuses only move forward
/// (<see cref="Sobot.Client.Webhooks.StatusProgression"/>); consumer cursors live in the database and are shared; the opt-out list, the
/// stop/start decisions and each number's last inbound are kept in the append's transaction, by the SQLite rules.
///
/// Writes go through one writer loop per receiver that commits whatever has queued up in one transaction (group
/// commit, <see cref="BatchedCommitter{TWrite}"/>, shared with SQLite): one WAL flush acknowledges a whole batch.
///
/// The cursor (seq) must hold with several writers. A plain sequence does not: transaction A takes seq 10, B takes 11
/// and commits first, a reader sees 11 and moves its cursor past 10 before A commits, and A's event is skipped for
/// good. So seqs are handed out in commit order: a write transaction inserts its bodies, then takes one
/// transaction-scoped advisory lock (<see cref="PostgresSchema.SeqLock"/>), and only then inserts its events (taking
/// seqs) and commits. The lock is released after the commit is visible, so every seq a later transaction takes is
/// larger than every seq of every transaction already visible or still to become visible: a reader that has seen seq
/// N can never later find a committed event below N. The lock is held only for the event inserts and the commit;
/// bodies (the bulk of the bytes) are written before it.
/// </summary>
public sealed class PostgresEventStore : IEventStore
{
    private readonly PostgresStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresCommitListener _listener;
    private readonly TimeProvider _clock;
    private readonly BatchedCommitter<PostgresPendingWrite> _writer;
    private readonly string _transactionSettings;
    /// <summary>This receiver among those sharing the database: the payload of its NOTIFYs.</summary>
    private readonly string _instance = Guid.NewGuid().ToString("N");

    private PostgresEventStore(PostgresStoreOptions options, NpgsqlDataSource dataSource, TimeProvider clock)
    {
        _options = options;
        _dataSource = dataSource;
        _clock = clock;
        long stuckMs = (long)options.StuckTransactionTimeout.TotalMilliseconds;
        _transactionSettings = FormattableString.Invariant(
            $"SET LOCAL synchronous_commit = on; SET LOCAL lock_timeout = {stuckMs}; SET LOCAL idle_in_transaction_session_timeout = {stuckMs}");
        _listener = new PostgresCommitListener(options.ConnectionString, Commits, options.ListenerRetryMax, _instance);
        _writer = new BatchedCommitter<PostgresPendingWrite>(options.MaxBatch, Commits, CommitAsync, IsServerWide, beforeRetry: _dataSource.Clear);
    }

    public CommitSignal Commits { get; } = new();

    /// <summary>Where the data lives, for logs and the ready line: host, port and database, never the password.</summary>
    public string Description { get; private init; } = "";

    /// <summary>Completes once this store listens for other receivers' commits.</summary>
    internal Task Listening => _listener.Listening;

    internal int ListenerConnections => _listener.Connections;

    public static async Task<PostgresEventStore> OpenAsync(PostgresStoreOptions options, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StoreUnavailableException("The PostgreSQL connection string is not valid: " + ex.Message, ex);
        }
        // The same few statements run thousands of times a second: prepared once per connection, PostgreSQL skips
        // parsing and planning them on every event (unless the connection string says otherwise).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await PostgresSchema.ApplyAsync(dataSource, (clock ?? TimeProvider.System).GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException || ex is TimeoutException || ex is IOException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new StoreUnavailableException($"Cannot open the PostgreSQL event store at {Describe(builder)}: {ex.Message}", ex);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new PostgresEventStore(options, dataSource, clock ?? TimeProvider.System) { Description = Describe(builder) };
    }

    private static string Describe(NpgsqlConnectionStringBuilder b) => $"postgresql://{b.Host}:{b.Port}/{b.Database}";

    public async Task<AppendResult> AppendAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default) =>
        (AppendResult)await Enqueue(new PostgresPendingWrite(delivery, null)).ConfigureAwait(false);

    public Task<ConsumerPosition> SetConsumerAsync(string name, long position, string? holder = null, CancellationToken cancellationToken = default) =>
        WriteConsumerAsync<ConsumerPosition>(name, (connection, tx, now) => ConsumerStatements.SetAsync(connection, tx, name, position, holder, now, CancellationToken.None));

    public Task<ConsumerPosition> LeaseConsumerAsync(string name, string holder, string description, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        WriteConsumerAsync<ConsumerPosition>(name, (connection, tx, now) => ConsumerStatements.LeaseAsync(connection, tx, name, holder, description, now + ttl, now, CancellationToken.None));

    public Task ReleaseConsumerAsync(string name, string holder, CancellationToken cancellationToken = default) =>
        WriteConsumerAsync<bool>(name, async (connection, tx, _) =>
        {
            await ConsumerStatements.ReleaseAsync(connection, tx, name, holder, CancellationToken.None).ConfigureAwait(false);
            return true;
        });

    public Task<bool> DeleteConsumerAsync(string name, string? holder = null, CancellationToken cancellationToken = default) =>
        WriteConsumerAsync<bool>(name, (connection, tx, now) => ConsumerStatements.DeleteAsync(connection, tx, name, holder, now, CancellationToken.None));

    /// <summary>
    /// A consumer write in the writer loop, at this receiver's clock. Its row locks (consumers, consumer_leases) are taken
    /// outside the seq lock, before it in every transaction (see <see cref="TryCommitAsync"/>).
    /// </summary>
    private async Task<T> WriteConsumerAsync<T>(string name, Func<NpgsqlConnection, NpgsqlTransaction, DateTimeOffset, Task<object>> write)
    {
        var now = _clock.GetUtcNow();
        var result = await Enqueue(new PostgresPendingWrite(null, (connection, tx) => write(connection, tx, now))).ConfigureAwait(false);
        return ConsumerStatements.Outcome<T>(name, result);
    }

    public async Task<int> PruneAsync(DateTimeOffset receivedBefore, int maxRows, CancellationToken cancellationToken = default)
    {
        // Outside the writer loop and without the seq lock: deleting old rows never blocks an append, and a pruned
        // event is one no consumer is owed any more (its seq stays taken).
        long cutoff = receivedBefore.ToUnixTimeMilliseconds();
        return await WithReadConnection(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                WITH old AS (DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE received_at < $1 ORDER BY received_at LIMIT $2) RETURNING 1),
                     old_bodies AS (DELETE FROM bodies WHERE id IN (SELECT id FROM bodies WHERE received_at < $1 ORDER BY received_at LIMIT $2) RETURNING 1)
                SELECT (SELECT count(*) FROM old)::int + (SELECT count(*) FROM old_bodies)::int
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = cutoff });
            command.Parameters.Add(new NpgsqlParameter { Value = Math.Max(1, maxRows) });
            return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
    }

    private Task<object> Enqueue(PostgresPendingWrite write) => _writer.Enqueue(write);

    /// <summary>
    /// Applies the writes in one transaction and commits it; throws <see cref="RetryableCommitFailure"/> when a
    /// connection that opened failed before COMMIT was sent (a dead pooled one, worth one more try).
    /// </summary>
    private async Task<object[]> CommitAsync(IReadOnlyList<PostgresPendingWrite> writes)
    {
        var results = new object[writes.Count];
        bool opened = false, committing = false;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            opened = true;
            await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
            // Whatever the server's or the database's default, an acknowledged write must be flushed to the WAL; and no
            // transaction may wait for the seq lock, or hold it while idle, past the stuck-transaction timeout.
            await using (var settings = new NpgsqlCommand(_transactionSettings, connection, tx))
                await settings.ExecuteNonQueryAsync().ConfigureAwait(false);
            // Lock order, the same in every transaction on the database: row locks taken outside the seq lock
            // (consumers) first, then the seq lock, then the rows only ever written under it (events, opt-outs,
            // decisions, last inbound). Taking the seq lock before a consumer row could deadlock with another receiver.
            var appends = new List<int>();
            var locked = new List<int>();
            for (int i = 0; i < writes.Count; i++)
            {
                if (writes[i].Delivery != null) appends.Add(i);
                else if (writes[i].UnderSeqLock) locked.Add(i);
                else results[i] = await writes[i].Apply!(connection, tx).ConfigureAwait(false);
            }
            if (appends.Count > 0)
            {
                var deliveries = appends.Select(i => writes[i].Delivery!).ToList();
                var appended = await PostgresAppend.RunAsync(connection, tx, deliveries, _instance).ConfigureAwait(false);
                for (int j = 0; j < appends.Count; j++) results[appends[j]] = appended[j];
            }
            foreach (int i in locked) results[i] = await writes[i].Apply!(connection, tx).ConfigureAwait(false);
            if (appends.Count > 0 && _options.BeforeCommit != null) await _options.BeforeCommit().ConfigureAwait(false);
            committing = true;
            await tx.CommitAsync().ConfigureAwait(false);
        }
        // Only a connection that opened and then failed is worth a second try (a dead pooled one); when opening itself
        // failed, the server is down or unreachable, and trying again would only keep the poster waiting for its 503.
        // Any other failure goes to the committer as it is; one during COMMIT leaves the outcome unknown: the caller
        // gets 503, and a re-post would be deduplicated.
        catch (Exception ex) when (opened && !committing && IsServerWide(ex))
        {
            throw new RetryableCommitFailure(ex);
        }
        return results;
    }

    /// <summary>
    /// Failures of the server or the connection rather than of one write's data: cannot connect, connection lost,
    /// shutting down, out of resources, read-only, deadlock or serialization, the seq lock not granted in time (all of
    /// a batch would meet the same).
    /// </summary>
    private static bool IsServerWide(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57", StringComparison.Ordinal) || pg.SqlState.StartsWith("58", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("40", StringComparison.Ordinal) || pg.SqlState == "25006" || pg.SqlState == "55P03",
        NpgsqlException => true,
        _ => ex is IOException || ex is TimeoutException,
    };

    public Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default) => WithReadConnection(async connection =>
    {
        await using var command = EventQueryCommand(connection, query);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(StoreRows.Event(reader));
        }
        return (IReadOnlyList<StoredEvent>)events;
    }, cancellationToken);

    /// <summary>The query of <see cref="ReadEventsAsync"/> (the tests read its plan).</summary>
    internal static NpgsqlCommand EventQueryCommand(NpgsqlConnection connection, EventQuery query)
    {
        var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder($"SELECT {StoreRows.EventColumns} FROM events WHERE seq > $1");
        command.Parameters.Add(new NpgsqlParameter { Value = query.After });
        void Filter(string condition, NpgsqlParameter parameter)
        {
            command.Parameters.Add(parameter);
            sql.Append(" AND ").Append(condition.Replace("@", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }
        foreach (var (condition, value) in StoreRows.EventFilters(query)) Filter(condition, new NpgsqlParameter { Value = value });
        foreach (var (column, several) in StoreRows.ManyValues(query))
            Filter(column + " = ANY(@)", new NpgsqlParameter { Value = several.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(query.Limit, 1, EventQuery.MaxLimit) });
        sql.Append(" ORDER BY seq LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();
        return command;
    }

    public Task<IReadOnlyList<EventKeys>> ReadEventKeysAsync(long after, int limit, CancellationToken cancellationToken = default) => WithReadConnection(async connection =>
    {
        await using var command = new NpgsqlCommand(StoreRows.EventKeysSql("$1", "$2"), connection);
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 1, EventQuery.MaxLimit) });
        var keys = new List<EventKeys>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) keys.Add(StoreRows.Keys(reader));
        return (IReadOnlyList<EventKeys>)keys;
    }, cancellationToken);

    public Task<long> GetHeadAsync(CancellationToken cancellationToken = default) => WithReadConnection(async connection =>
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM events", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }, cancellationToken);

    public Task<MessageStatusRecord?> GetStatusAsync(string messageId, CancellationToken cancellationToken = default) => WithReadConnection(async connection =>
    {
        await using var command = new NpgsqlCommand($"SELECT {StoreRows.StatusColumns} FROM message_status WHERE message_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreRows.Status(reader) : null;
    }, cancellationToken);

    public Task<IReadOnlyList<MessageStatusRecord>> GetStatusesAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default) => WithReadConnection(async connection =>
    {
        var statuses = new List<MessageStatusRecord>(messageIds.Count);
        if (messageIds.Count == 0) return (IReadOnlyList<MessageStatusRecord>)statuses;
        // One array parameter whatever the batch size.
        await using var command = new NpgsqlCommand($"SELECT {StoreRows.StatusColumns} FROM message_status WHERE message_id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = messageIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) statuses.Add(StoreRows.Status(reader));
        return (IReadOnlyList<MessageStatusRecord>)statuses;
    }, cancellationToken);

    public Task<ConsumerPosition?> GetConsumerAsync(string name, CancellationToken cancellationToken = default) =>
        WithReadConnection(connection => ConsumerStatements.GetAsync(connection, null, name, _clock.GetUtcNow(), cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ConsumerPosition>> ListConsumersAsync(CancellationToken cancellationToken = default) =>
        WithReadConnection(connection => ConsumerStatements.ListAsync(connection, _clock.GetUtcNow(), cancellationToken), cancellationToken);

    public Task<OptOutRecord?> GetOptOutAsync(string customerNumber, CancellationToken cancellationToken = default)
    {
        string number = NumberKey.Require(customerNumber);
        return WithReadConnection(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {StoreRows.OptOutColumns} FROM opt_outs WHERE customer_number = $1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = number });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreRows.OptOut(reader) : null;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<OptOutRecord>> ListOptOutsAsync(CancellationToken cancellationToken = default) => WithReadConnection(async connection =>
    {
        await using var command = new NpgsqlCommand($"SELECT {StoreRows.OptOutColumns} FROM opt_outs ORDER BY customer_number COLLATE \"C\"", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<OptOutRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(StoreRows.OptOut(reader));
        return (IReadOnlyList<OptOutRecord>)list;
    }, cancellationToken);

    public async Task<OptOutRecord> AddOptOutAsync(string customerNumber, string source, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        string number = NumberKey.Require(customerNumber);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        long at = since.ToUnixTimeMilliseconds();
        return (OptOutRecord)await Enqueue(new PostgresPendingWrite(null, async (connection, tx) =>
        {
            await DecideAsync(connection, tx, number, at).ConfigureAwait(false);
            // DO NOTHING: a number already on the list keeps its first since and source.
            await using (var insert = new NpgsqlCommand("INSERT INTO opt_outs(customer_number, since, source) VALUES ($1, $2, $3) ON CONFLICT (customer_number) DO NOTHING", connection, tx))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = number });
                insert.Parameters.Add(new NpgsqlParameter { Value = at });
                insert.Parameters.Add(new NpgsqlParameter { Value = source });
                await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            await using var read = new NpgsqlCommand($"SELECT {StoreRows.OptOutColumns} FROM opt_outs WHERE customer_number = $1", connection, tx);
            read.Parameters.Add(new NpgsqlParameter { Value = number });
            await using var reader = await read.ExecuteReaderAsync().ConfigureAwait(false);
            await reader.ReadAsync().ConfigureAwait(false);
            return StoreRows.OptOut(reader);
        }, underSeqLock: true)).ConfigureAwait(false);
    }

    public async Task<bool> RemoveOptOutAsync(string customerNumber, CancellationToken cancellationToken = default)
    {
        string number = NumberKey.Require(customerNumber);
        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        return (bool)await Enqueue(new PostgresPendingWrite(null, async (connection, tx) =>
        {
            await DecideAsync(connection, tx, number, now).ConfigureAwait(false);
            await using var delete = new NpgsqlCommand("DELETE FROM opt_outs WHERE customer_number = $1", connection, tx);
            delete.Parameters.Add(new NpgsqlParameter { Value = number });
            return await delete.ExecuteNonQueryAsync().ConfigureAwait(false) > 0;
        }, underSeqLock: true)).ConfigureAwait(false);
    }

    /// <summary>
    /// A manual decision, made now whatever time was kept before (a time pushed ahead by a forged timestamp must not
    /// outlive it); under the seq lock like the stops and starts of appends (so a decision made through one receiver
    /// and a message stored through another are applied one after the other, never interleaved).
    /// </summary>
    private static async Task DecideAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string number, long at)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgresSchema.SeqLock})"));
        var decide = new NpgsqlBatchCommand("""
            INSERT INTO consent_decisions AS c(customer_number, decided_at) VALUES ($1, $2)
            ON CONFLICT (customer_number) DO UPDATE SET decided_at = excluded.decided_at
            """);
        decide.Parameters.Add(new NpgsqlParameter { Value = number });
        decide.Parameters.Add(new NpgsqlParameter { Value = at / 1000 * 1000 });   // whole seconds, as effective times are
        batch.BatchCommands.Add(decide);
        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public Task<IReadOnlyList<LastInboundRecord>> GetLastInboundAsync(IReadOnlyCollection<string> customerNumbers, CancellationToken cancellationToken = default)
    {
        var numbers = customerNumbers.Select(NumberKey.Require).Distinct(StringComparer.Ordinal).ToArray();
        return WithReadConnection(async connection =>
        {
            var list = new List<LastInboundRecord>(numbers.Length);
            if (numbers.Length == 0) return (IReadOnlyList<LastInboundRecord>)list;
            await using var command = new NpgsqlCommand($"SELECT {StoreRows.LastInboundColumns} FROM last_inbound WHERE customer_number = ANY($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = numbers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(StoreRows.LastInbound(reader));
            return (IReadOnlyList<LastInboundRecord>)list;
        }, cancellationToken);
    }

    public Task<StoreHealth> GetHealthAsync(CancellationToken cancellationToken = default) => WithReadConnection(async connection =>
    {
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM events), (SELECT coalesce(max(seq), 0) FROM events), (SELECT received_at FROM events ORDER BY seq DESC LIMIT 1)", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StoreHealth(reader.GetInt64(0), reader.GetInt64(1),
            reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
    }, cancellationToken);

    /// <summary>Runs a read on a pooled connection; any failure to reach or ask the database means the store is unavailable.</summary>
    private async Task<T> WithReadConnection<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await read(connection).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsServerWide(ex) && ex is not ObjectDisposedException)
            {
                // A read is safe to repeat; after a restart the pooled connections are dead, so drop them and retry once.
                _dataSource.Clear();
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await read(connection).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException || ex is TimeoutException || ex is IOException || ex is ObjectDisposedException)
        {
            throw new StoreUnavailableException("The event store could not be read: " + ex.Message, ex);
        }
    }

    /// <summary>Lets queued writes finish (their callers are owed an answer), then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
