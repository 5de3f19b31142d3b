namespace Sobot.Receiver.Store;

/// <summary>
/// Prunes events older than the retention period: a batch of <see cref="BatchRows"/> rows per transaction with a pause
/// between, so a first purge of millions of rows never holds locks or the writer for long and ingest goes on beside it.
/// Runs shortly after start and then every <see cref="Interval"/>; several receivers on one database may all run it
/// (each batch deletes what is still there).
/// </summary>
public sealed class RetentionService : BackgroundService
{
    public const int BatchRows = 5000;

    private readonly IEventStore _store;
    private readonly TimeSpan _keep;
    private readonly TimeProvider _clock;
    private readonly ILogger<RetentionService> _log;

    public RetentionService(IEventStore store, TimeSpan keep, TimeProvider clock, ILogger<RetentionService> log)
    {
        _store = store;
        _keep = keep;
        _clock = clock;
        _log = log;
    }

    public static TimeSpan Interval { get; } = TimeSpan.FromHours(1);
    public static TimeSpan Pause { get; } = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10), _clock, stoppingToken).ConfigureAwait(false);
            while (true)
            {
                await PruneAllAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, _clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Prunes batch after batch until one comes back short; returns the rows removed.</summary>
    public async Task<long> PruneAllAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        var cutoff = _clock.GetUtcNow() - _keep;
        try
        {
            while (true)
            {
                int removed = await _store.PruneAsync(cutoff, BatchRows, cancellationToken).ConfigureAwait(false);
                total += removed;
                if (removed < BatchRows) break;
                await Task.Delay(Pause, _clock, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (StoreUnavailableException ex)
        {
            // The next round tries again; retention is housekeeping and must never take the receiver down.
            _log.LogWarning("Retention paused: {Reason}", ex.Message);
        }
        if (total > 0) _log.LogInformation("Retention removed {Rows} rows received before {Cutoff:O}", total, cutoff);
        return total;
    }
}
