using Microsoft.Data.Sqlite;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// Moves committed pages from the WAL into the database file on its own connection and timer. SQLite's automatic
/// checkpoint runs inside whichever commit crosses the threshold, so one unlucky batch of webhooks waits for all the
/// copying; this PASSIVE checkpoint does most of it beside the writer without blocking it, leaving the writer's own
/// checkpoint little to do. Durability does not depend on it: a commit is durable once its WAL frames are fsynced.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SqliteCheckpointer(string connectionString, TimeSpan interval)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _loop = RunAsync(interval);
    }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    using var command = _connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    command.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Busy or failing: the next tick tries again, and the WAL only grows meanwhile (nothing is lost).
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _connection.Dispose();
    }
}
