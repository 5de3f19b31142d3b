using Sobot.Client.Receiver;

namespace Sobot.Client.Tests;

/// <summary>Consumers with leases: one reader at a time, who holds it, rewinding and removing, and older receivers.</summary>
public class ConsumerClientTests
{
    [Fact]
    public async Task A_lease_keeps_a_second_reader_out_naming_the_first_and_is_given_back()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        var first = await client.LeaseConsumerAsync("helpdesk", "holder-1", "alice@web01 pid 4242", TimeSpan.FromMinutes(1));
        Assert.Equal(("helpdesk", 0L, "holder-1", "alice@web01 pid 4242"), (first!.Name, first.Position, first.Holder, first.Description));
        Assert.True(first.IsLeasedAt(DateTimeOffset.UtcNow));

        var busy = await Assert.ThrowsAsync<SobotConsumerBusyException>(() => client.LeaseConsumerAsync("helpdesk", "holder-2", "bob@web02 pid 7", TimeSpan.FromMinutes(1)));
        Assert.Equal("helpdesk", busy.Consumer);
        Assert.Contains("alice@web01 pid 4242", busy.Message);
        // Renewing is taking it again as the same holder; moving the cursor is for the holder only.
        Assert.NotNull(await client.LeaseConsumerAsync("helpdesk", "holder-1", "alice@web01 pid 4242", TimeSpan.FromMinutes(1)));
        Assert.Equal(5, (await client.SetConsumerAsync("helpdesk", 5, "holder-1")).Position);
        await Assert.ThrowsAsync<SobotConsumerBusyException>(() => client.SetConsumerAsync("helpdesk", 0));
        await Assert.ThrowsAsync<SobotConsumerBusyException>(() => client.DeleteConsumerAsync("helpdesk"));
        Assert.Equal("alice@web01 pid 4242", Assert.Single(await client.GetConsumersAsync()).Description);

        await client.ReleaseConsumerAsync("helpdesk", "holder-2");   // not the holder: nothing happens
        Assert.Equal("holder-1", (await client.GetConsumerAsync("helpdesk")).Holder);
        await client.ReleaseConsumerAsync("helpdesk", "holder-1");
        var released = await client.GetConsumerAsync("helpdesk");
        Assert.Equal((5L, (string?)null, (DateTimeOffset?)null), (released.Position, released.Holder, released.LeaseUntil));
        Assert.Equal(0, (await client.SetConsumerAsync("helpdesk", 0)).Position);
        Assert.Contains("DELETE /v1/consumers/helpdesk/lease?holder=holder-1", fake.Requests);

        Assert.True(await client.DeleteConsumerAsync("helpdesk"));
        Assert.False(await client.DeleteConsumerAsync("helpdesk"));
        Assert.Empty(await client.GetConsumersAsync());
    }

    [Fact]
    public async Task A_ConsumerLease_says_who_reads_and_gives_the_lease_back_when_disposed()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        using (var lease = new ConsumerLease(client, "archive"))
        {
            var taken = await lease.TakeAsync(CancellationToken.None);
            Assert.Equal(lease.Holder, taken!.Holder);
            Assert.Equal($"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}", (string?)fake.Consumer("archive")!["description"]);
            using var other = new ConsumerLease(client, "archive");
            Assert.NotEqual(lease.Holder, other.Holder);
            await Assert.ThrowsAsync<SobotConsumerBusyException>(() => other.TakeAsync(CancellationToken.None));
        }
        Assert.Null(fake.Consumer("archive")!["holder"]);
        using var next = new ConsumerLease(client, "archive");
        Assert.NotNull(await next.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_older_receiver_without_leases_is_read_as_before_and_says_to_update_it_for_removal()
    {
        var fake = new FakeReceiver { Older = true };
        using var client = fake.Client();
        Assert.Null(await client.LeaseConsumerAsync("helpdesk", "holder-1", "alice@web01 pid 1", TimeSpan.FromMinutes(1)));
        using (var lease = new ConsumerLease(client, "helpdesk")) Assert.Null(await lease.TakeAsync(CancellationToken.None));
        Assert.Equal(3, (await client.SetConsumerAsync("helpdesk", 3, "holder-1")).Position);
        var old = await Assert.ThrowsAsync<SobotReceiverException>(() => client.DeleteConsumerAsync("helpdesk"));
        Assert.Contains("update it", old.Message);
    }

    [Fact]
    public async Task Names_and_positions_are_checked_before_anything_is_sent()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        await Assert.ThrowsAsync<SobotValidationException>(() => client.LeaseConsumerAsync("bad name", "h", "d", TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAsync<SobotValidationException>(() => client.SetConsumerAsync("ok", -1));
        await Assert.ThrowsAsync<SobotValidationException>(() => client.DeleteConsumerAsync(new string('x', 101)));
        Assert.Empty(fake.Requests);
    }
}
