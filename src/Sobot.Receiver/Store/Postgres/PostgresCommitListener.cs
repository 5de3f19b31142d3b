using Npgsql;

namespace Sobot.Receiver.Store.Postgres;

/// <summary>
/// Holds one connection in LISTEN on <see cref="PostgresSchema.Channel"/> and pulses <see cref="CommitSignal"/> for
/// every notification, so a long poll on this receiver wakes when another receiver commits (no polling of the table).
/// When PostgreSQL goes away the connection is re-opened with a growing pause, and the signal is pulsed once on every
/// reconnect: commits made while we were not listening would otherwise wake nobody.
/// </summary>
internal sealed class PostgresCommitListener : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly CommitSignal _signal;
    private readonly TimeSpan _retryMax;
    private readonly string _self;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="self">The payload of this receiver's own NOTIFYs: its writer pulses the signal itself at commit, so
    /// those are not pulsed twice (a second wake-up of every long poll for nothing).</param>
    public PostgresCommitListener(string connectionString, CommitSignal signal, TimeSpan retryMax, string self)
    {
        // A connection of its own outside the pool: it sits in LISTEN for hours and must never be handed to a query.
        // Keepalive notices a peer that vanished without closing the socket (a network cut rather than a restart).
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10 };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _signal = signal;
        _retryMax = retryMax;
        _self = self;
        _loop = RunAsync();
    }

    /// <summary>Completes once the first LISTEN is in place; tests wait for it before relying on cross-instance wake-ups.</summary>
    public Task Listening => _firstListen.Task;

    /// <summary>How many times the connection has been (re)established; tests watch it across a server restart.</summary>
    public int Connections => Volatile.Read(ref _connections);
    private int _connections;

    private async Task RunAsync()
    {
        var pause = TimeSpan.FromMilliseconds(100);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload != _self) _signal.Pulse();
                };
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresSchema.Channel, connection))
                    await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _connections);
                _signal.Pulse();
                _firstListen.TrySetResult();
                pause = TimeSpan.FromMilliseconds(100);
                while (true) await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException || ex is IOException || ex is TimeoutException || ex is InvalidOperationException)
            {
                // PostgreSQL restarted or unreachable: waits fall back to their timeouts until we are back.
            }
            try
            {
                await Task.Delay(pause, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _retryMax.Ticks));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
