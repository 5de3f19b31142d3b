using System.Threading.Channels;

namespace Sobot.Receiver.Store;

/// <summary>
/// The group commit both stores share: writes queue up, one loop commits whatever has queued (up to a batch) in one
/// transaction, and only then completes the callers' tasks and pulses <see cref="CommitSignal"/> when an append stored
/// something. 32 posters waiting on one fsync each would cap ingest at a few hundred events a second; sharing it lets
/// one flush acknowledge a whole batch.
///
/// A store supplies only how a batch is applied and committed in one transaction (<c>commit</c>, returning each
/// write's result in order, or throwing) and which failures are of the store rather than of one write's data
/// (<c>isStoreWide</c>). A commit that throws <see cref="RetryableCommitFailure"/> never reached COMMIT and is tried
/// once more, after <c>beforeRetry</c>. Otherwise, when one write's data is at fault, each write of the batch is tried
/// alone so only the culprit gets the error; when the store is at fault every write gets it.
/// A write marked <see cref="PendingWrite.Alone"/> (a prune) is committed in a transaction of its own.
/// Whatever a batch throws fails that batch's writes and the loop goes on; should the loop itself end, the queue is
/// completed with the error, so new writes are refused at once and queued ones fail rather than wait forever.
/// </summary>
internal sealed class BatchedCommitter<TWrite> : IAsyncDisposable where TWrite : PendingWrite
{
    // Bounded: when the disk or the database falls behind, posters wait for room (a slower 200) instead of piling
    // bodies of up to 3 MB into memory.
    private readonly Channel<TWrite> _queue = Channel.CreateBounded<TWrite>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly int _maxBatch;
    private readonly CommitSignal _commits;
    private readonly Func<IReadOnlyList<TWrite>, Task<object[]>> _commit;
    private readonly Func<Exception, bool> _isStoreWide;
    private readonly Action? _beforeRetry;
    private readonly Task _loop;

    /// <param name="threadName">
    /// Run the loop on a thread of its own with this name, for a store whose calls block (SQLite's fsync): its commit
    /// then completes synchronously and the thread pool is never held. Null: an asynchronous loop on the pool.
    /// </param>
    public BatchedCommitter(int maxBatch, CommitSignal commits, Func<IReadOnlyList<TWrite>, Task<object[]>> commit, Func<Exception, bool> isStoreWide,
        Action? beforeRetry = null, string? threadName = null)
    {
        _maxBatch = Math.Max(1, maxBatch);
        _commits = commits;
        _commit = commit;
        _isStoreWide = isStoreWide;
        _beforeRetry = beforeRetry;
        if (threadName == null)
        {
            _loop = Task.Run(RunAsync);
            return;
        }
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                RunOnThread();
                ended.SetResult();
            }
            catch (Exception ex)
            {
                ended.SetException(ex);
            }
        }) { IsBackground = true, Name = threadName }.Start();
        _loop = ended.Task;
    }

    /// <summary>Queues a write and returns its result once committed. Not cancellable once queued: a caller that gives up must not leave the outcome of a write in doubt.</summary>
    public async Task<object> Enqueue(TWrite write)
    {
        try
        {
            await _queue.Writer.WriteAsync(write).ConfigureAwait(false);
        }
        catch (ChannelClosedException closed)
        {
            // Completed with an error: the writer stopped, say why. Completed without one: a shutdown.
            throw closed.InnerException is StoreUnavailableException stopped
                ? new StoreUnavailableException(stopped.Message, stopped)
                : new StoreUnavailableException("The event store is shutting down.");
        }
        return await write.Done.Task.ConfigureAwait(false);
    }

    private void RunOnThread()
    {
        var batch = new List<TWrite>(_maxBatch);
        try
        {
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                if (Take(batch)) CommitOrFailAsync(batch).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            Stop(batch, ex);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<TWrite>(_maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
                if (Take(batch)) await CommitOrFailAsync(batch).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Stop(batch, ex);
        }
    }

    /// <summary>Commits a batch; whatever escapes (a store breaking its contract, a retry preparation that throws) fails the batch's unanswered writes, not the loop.</summary>
    private async Task CommitOrFailAsync(List<TWrite> batch)
    {
        try
        {
            await CommitBatchAsync(batch).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var write in batch) Fail(write, ex);
        }
    }

    /// <summary>The loop cannot go on: refuse new writes at once and fail every write still waiting, so no post hangs.</summary>
    private void Stop(List<TWrite> batch, Exception ex)
    {
        _queue.Writer.TryComplete(new StoreUnavailableException("The event store's writer stopped: " + ex.Message, ex));
        foreach (var write in batch) Fail(write, ex);
        while (_queue.Reader.TryRead(out var write)) Fail(write, ex);
    }

    /// <summary>Fills the batch with what has queued: up to the batch size, and a write that must be alone on its own.</summary>
    private bool Take(List<TWrite> batch)
    {
        batch.Clear();
        var reader = _queue.Reader;
        while (batch.Count < _maxBatch && reader.TryPeek(out var next) && (batch.Count == 0 || !next.Alone) && reader.TryRead(out var write))
        {
            batch.Add(write);
            if (write.Alone) break;
        }
        return batch.Count > 0;
    }

    private async Task CommitBatchAsync(List<TWrite> batch)
    {
        var failure = await TryCommitAsync(batch).ConfigureAwait(false);
        if (failure is RetryableCommitFailure)
        {
            // Nothing of the transaction is stored. After a database restart every idle pooled connection is dead: the
            // store drops them, and the batch is tried once more on a fresh one, rather than answer 503 for a server that
            // is back (Sobot never retries, so a needless 503 is a lost webhook).
            _beforeRetry?.Invoke();
            failure = await TryCommitAsync(batch).ConfigureAwait(false);
            if (failure is RetryableCommitFailure again) failure = again.InnerException;
        }
        if (failure == null) return;
        if (batch.Count > 1 && !_isStoreWide(failure))
        {
            // One bad write must not fail its neighbours: each is retried alone, so only the culprit gets the error.
            foreach (var write in batch)
                if (await TryCommitAsync([write]).ConfigureAwait(false) is Exception single) Fail(write, single);
        }
        else
        {
            // The file is locked or full, the server is gone: every write would fail the same way, after the same wait.
            foreach (var write in batch) Fail(write, failure);
        }
    }

    /// <summary>Commits the writes in one transaction, then (and only then) completes their tasks; returns why not otherwise.</summary>
    private async Task<Exception?> TryCommitAsync(IReadOnlyList<TWrite> writes)
    {
        object[] results;
        try
        {
            results = await _commit(writes).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the loop lives on: a dead writer would leave every later post hanging.
            return ex;
        }
        // Checked before any write completes: a short answer must not leave the rest of the batch waiting forever.
        if (results == null || results.Length != writes.Count)
            throw new InvalidOperationException($"The store answered {results?.Length ?? 0} results for {writes.Count} writes.");
        bool added = false;
        for (int i = 0; i < writes.Count; i++)
        {
            added |= writes[i].AddsEvents && results[i] is AppendResult { Stored: > 0 };
            writes[i].Done.TrySetResult(results[i]);
        }
        if (added) _commits.Pulse();
        return null;
    }

    private static void Fail(TWrite write, Exception ex)
    {
        if (ex is RetryableCommitFailure { InnerException: Exception inner }) ex = inner;
        write.Done.TrySetException(new StoreUnavailableException("The event store could not commit: " + ex.Message, ex));
    }

    /// <summary>Lets queued writes finish (their callers are owed an answer), then ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
