using Sobot.Client.Bulk;
using Sobot.Client.Http;
using Sobot.Client.Models.Requests;

namespace Sobot.Client.Tests;

public class AdaptiveConcurrencyTests
{
    [Fact]
    public void Needs_rate_times_latency_with_headroom_or_what_the_top_tier_needs_when_no_rate_is_known()
    {
        Assert.Equal(AdaptiveConcurrency.InitialLimit, AdaptiveConcurrency.Need(null, null, 0));
        // 1,000 a second at 150 ms: 150 on the wire, x1.5, + 8 spare, + the 20 requests waiting out a Retry-After.
        Assert.Equal(225 + 20 + 8, AdaptiveConcurrency.Need(1000, 0.150, 20));
        // 80 a second at 1 ms: a handful is plenty; more only queues at the pacer.
        Assert.Equal(1 + 8, AdaptiveConcurrency.Need(80, 0.001, 0));
        // No rate known: what 1,000 a second (the top tier) needs, x1.5; at a low latency the floor.
        Assert.Equal(450, AdaptiveConcurrency.Need(null, 0.300, 0));
        Assert.Equal(AdaptiveConcurrency.LowLatencyFloor, AdaptiveConcurrency.Need(null, 0.002, 0));
    }

    [Fact]
    public async Task Grows_only_while_requests_wait_and_never_past_the_hard_cap()
    {
        var pacer = new AdaptivePacer();
        pacer.OnAnswered(TimeSpan.FromMilliseconds(300));     // the top tier would need 450 in flight
        var gate = new AdaptiveConcurrency(pacer, hardCap: 40);
        for (int i = 0; i < AdaptiveConcurrency.InitialLimit; i++) Assert.True(gate.WaitAsync(CancellationToken.None).IsCompleted);
        var waiting = Enumerable.Range(0, 20).Select(_ => gate.WaitAsync(CancellationToken.None)).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        // Each release while requests wait lets the limit grow by one: two waiting requests go per release.
        gate.Release();
        Assert.Equal(2, waiting.Count(w => w.IsCompleted));
        for (int i = 0; i < 20; i++) gate.Release();
        await Task.WhenAll(waiting);
        Assert.True(gate.Peak <= 40, $"peak {gate.Peak}");
        Assert.Equal(40, gate.Limit);

        // Nobody waiting: releases do not grow it, so a slow input never opens more than it uses.
        var idle = new AdaptiveConcurrency(pacer, hardCap: null);
        for (int i = 0; i < 100; i++)
        {
            await idle.WaitAsync(CancellationToken.None);
            idle.Release();
        }
        Assert.Equal(1, idle.Peak);
        Assert.Equal(AdaptiveConcurrency.InitialLimit, idle.Limit);
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_up_its_turn()
    {
        var gate = new AdaptiveConcurrency(new AdaptivePacer(), hardCap: 1);
        await gate.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var first = gate.WaitAsync(cancel.Token);
        var second = gate.WaitAsync(CancellationToken.None);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        gate.Release();
        await second;
        Assert.Equal(1, gate.InUse);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveConcurrency(new AdaptivePacer(), 0));
    }

    [Fact]
    public async Task A_run_at_high_latency_goes_past_the_old_fixed_64_and_a_hard_cap_holds_at_the_server()
    {
        // 1 s and no limit: the old fixed 64 gave 64 msg/s; the top tier needs about 1,500 in flight (capped at 1,024).
        // A long latency, so that more than 64 at once at the server needs only 65 requests a second from a busy machine.
        await using var emulator = await TestEmulator.StartAsync(o => { o.LatencyMs = 1000; o.NoWindow = true; o.NoRetain = true; });
        using var client = emulator.Client();
        using (var sender = new BulkSender(client, new BulkSendOptions(), CancellationToken.None))
        {
            Send(sender, 300);
            Assert.Equal(300, sender.Sent);
            Assert.True(sender.PeakConcurrency > 64, $"peak {sender.PeakConcurrency}");
        }
        long peakAtServer = emulator.State.InFlightPeak;
        Assert.True(peakAtServer > 64, $"peak at the emulator {peakAtServer}");
        Assert.True(peakAtServer <= AdaptiveConcurrency.DefaultMaximum, $"peak at the emulator {peakAtServer}");

        emulator.State.Reset();
        using (var capped = new BulkSender(client, new BulkSendOptions { ThrottleLimit = 10 }, CancellationToken.None))
        {
            Send(capped, 30);
            Assert.Equal(30, capped.Sent);
            Assert.InRange(capped.PeakConcurrency, 2, 10);
        }
        // Never past the cap at the server (and, 1 s apiece, more than one at a time).
        Assert.InRange(emulator.State.InFlightPeak, 2, 10);
    }

    private static void Send(BulkSender sender, int count)
    {
        for (int i = 0; i < count; i++)
        {
            while (!sender.HasRoom) { sender.Wait(TimeSpan.FromMilliseconds(50)); while (sender.TryTake(out _)) { } }
            sender.Add(new TextMessageRequest("9199700" + i.ToString("00000"), "C", "m" + i), null);
        }
        while (sender.Outstanding > 0) { sender.Wait(TimeSpan.FromMilliseconds(50)); while (sender.TryTake(out _)) { } }
    }
}
