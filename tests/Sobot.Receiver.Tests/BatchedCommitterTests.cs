using Sobot.Receiver.Store;

namespace Sobot.Receiver.Tests;

/// <summary>
/// The group commit both stores share, against a store that only records batches: the rules the SQLite and PostgreSQL
/// stores used to write each on their own. No timing: every wait is on a signal the fake store gives.
/// </summary>
public class BatchedCommitterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private sealed class Write(string name, bool addsEvents = false, bool alone = false) : PendingWrite(addsEvents, alone)
    {
        public string Name { get; } = name;
    }

    /// <summary>A store whose first commit waits for <see cref="Release"/>, so the test decides what queues up behind it.</summary>
    private sealed class FakeStore
    {
        public readonly List<string[]> Batches = [];
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource FirstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Func<IReadOnlyList<Write>, Exception?> Fails = _ => null;

        public async Task<object[]> CommitAsync(IReadOnlyList<Write> writes)
        {
            FirstStarted.TrySetResult();
            await Release.Task.ConfigureAwait(false);
            lock (Batches) Batches.Add(writes.Select(w => w.Name).ToArray());
            if (Fails(writes) is Exception ex) throw ex;
            return writes.Select(w => (object)(w.AddsEvents ? new AppendResult(1, 1, 0) : w.Name)).ToArray();
        }
    }

    [Fact]
    public async Task Writes_queued_behind_a_commit_go_in_one_batch_and_complete_only_after_it()
    {
        var store = new FakeStore();
        var commits = new CommitSignal();
        await using var committer = new BatchedCommitter<Write>(10, commits, store.CommitAsync, _ => false);
        var first = committer.Enqueue(new Write("a"));
        await store.FirstStarted.Task.WaitAsync(Deadline);
        var next = commits.NextCommit;
        var queued = new[] { committer.Enqueue(new Write("b", addsEvents: true)), committer.Enqueue(new Write("c")) };

        Assert.False(first.IsCompleted, "a write completed before its transaction committed");
        Assert.False(next.IsCompleted, "the commit signal pulsed before the commit");
        store.Release.SetResult();

        Assert.Equal("a", await first.WaitAsync(Deadline));
        await Task.WhenAll(queued).WaitAsync(Deadline);
        await next.WaitAsync(Deadline);   // b stored an event: the signal pulsed
        lock (store.Batches) Assert.Equal(["a", "b,c"], store.Batches.Select(b => string.Join(",", b)));
    }

    [Fact]
    public async Task A_write_marked_alone_is_committed_in_a_transaction_of_its_own()
    {
        var store = new FakeStore();
        await using var committer = new BatchedCommitter<Write>(10, new CommitSignal(), store.CommitAsync, _ => false);
        var first = committer.Enqueue(new Write("a"));
        await store.FirstStarted.Task.WaitAsync(Deadline);
        var rest = new[] { committer.Enqueue(new Write("b")), committer.Enqueue(new Write("prune", alone: true)), committer.Enqueue(new Write("c")) };
        store.Release.SetResult();
        await Task.WhenAll(rest.Prepend(first)).WaitAsync(Deadline);
        lock (store.Batches) Assert.Equal(["a", "b", "prune", "c"], store.Batches.Select(b => string.Join(",", b)));
    }

    [Fact]
    public async Task One_bad_write_fails_alone_and_its_neighbours_commit()
    {
        var store = new FakeStore { Fails = writes => writes.Any(w => w.Name == "bad") ? new InvalidOperationException("bad data") : null };
        await using var committer = new BatchedCommitter<Write>(10, new CommitSignal(), store.CommitAsync, _ => false);
        var first = committer.Enqueue(new Write("a"));
        await store.FirstStarted.Task.WaitAsync(Deadline);
        var good = committer.Enqueue(new Write("good"));
        var bad = committer.Enqueue(new Write("bad"));
        store.Release.SetResult();

        Assert.Equal("good", await good.WaitAsync(Deadline));
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => bad.WaitAsync(Deadline));
        Assert.Contains("bad data", error.Message);
        await first.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_store_wide_failure_fails_the_whole_batch_without_trying_each_write()
    {
        var store = new FakeStore { Fails = writes => writes.Count > 1 ? new IOException("disk full") : null };
        await using var committer = new BatchedCommitter<Write>(10, new CommitSignal(), store.CommitAsync, ex => ex is IOException);
        var first = committer.Enqueue(new Write("a"));
        await store.FirstStarted.Task.WaitAsync(Deadline);
        var batch = new[] { committer.Enqueue(new Write("b")), committer.Enqueue(new Write("c")) };
        store.Release.SetResult();

        foreach (var write in batch) await Assert.ThrowsAsync<StoreUnavailableException>(() => write.WaitAsync(Deadline));
        lock (store.Batches) Assert.Equal(["a", "b,c"], store.Batches.Select(b => string.Join(",", b)));
    }

    [Fact]
    public async Task A_retryable_failure_is_tried_once_more_after_the_store_prepares_and_then_answers()
    {
        int attempts = 0, prepared = 0;
        var store = new FakeStore { Fails = _ => Interlocked.Increment(ref attempts) == 1 ? new RetryableCommitFailure(new IOException("connection reset")) : null };
        store.Release.SetResult();
        await using var committer = new BatchedCommitter<Write>(10, new CommitSignal(), store.CommitAsync, _ => true, beforeRetry: () => Interlocked.Increment(ref prepared));
        Assert.Equal("a", await committer.Enqueue(new Write("a")).WaitAsync(Deadline));
        Assert.Equal((2, 1), (attempts, prepared));

        // Retryable twice: the caller gets the underlying error, not the wrapper.
        store.Fails = _ => new RetryableCommitFailure(new IOException("still down"));
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => committer.Enqueue(new Write("b")).WaitAsync(Deadline));
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task Shutdown_lets_queued_writes_commit_and_refuses_new_ones()
    {
        var store = new FakeStore();
        var committer = new BatchedCommitter<Write>(10, new CommitSignal(), store.CommitAsync, _ => false, threadName: "test writer");
        var first = committer.Enqueue(new Write("a"));
        await store.FirstStarted.Task.WaitAsync(Deadline);
        var queued = committer.Enqueue(new Write("b"));
        var disposed = committer.DisposeAsync().AsTask();
        store.Release.SetResult();
        await disposed.WaitAsync(Deadline);

        Assert.Equal(("a", "b"), (await first, await queued));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => committer.Enqueue(new Write("c")));
    }

    [Fact]
    public async Task A_commit_answering_too_few_results_fails_its_batch_and_the_next_write_still_commits()
    {
        int commits = 0;
        Task<object[]> CommitAsync(IReadOnlyList<Write> writes) =>
            Task.FromResult(Interlocked.Increment(ref commits) == 1 ? [] : writes.Select(w => (object)w.Name).ToArray());
        await using var committer = new BatchedCommitter<Write>(10, new CommitSignal(), CommitAsync, _ => false);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => committer.Enqueue(new Write("short")).WaitAsync(Deadline));
        Assert.Equal("next", await committer.Enqueue(new Write("next")).WaitAsync(Deadline));
    }

    [Fact]
    public async Task A_retry_preparation_that_throws_fails_its_batch_and_the_next_write_still_commits()
    {
        var store = new FakeStore { Fails = writes => writes.Any(w => w.Name == "lost") ? new RetryableCommitFailure(new IOException("connection reset")) : null };
        store.Release.SetResult();
        await using var committer = new BatchedCommitter<Write>(10, new CommitSignal(), store.CommitAsync, _ => true,
            beforeRetry: () => throw new InvalidOperationException("cannot clear the pool"), threadName: "test writer");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => committer.Enqueue(new Write("lost")).WaitAsync(Deadline));
        Assert.Contains("cannot clear the pool", error.Message);
        Assert.Equal("next", await committer.Enqueue(new Write("next")).WaitAsync(Deadline));
    }
}
