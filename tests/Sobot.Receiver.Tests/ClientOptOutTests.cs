using System.Security;
using Sobot.Client.Receiver;

namespace Sobot.Receiver.Tests;

/// <summary>The client's opt-out and window calls against a real receiver: what the cmdlets will stand on.</summary>
public class ClientOptOutTests
{
    [Fact]
    public async Task The_client_manages_opt_outs_and_reads_windows_from_a_receiver()
    {
        await using var r = await Receiver.StartAsync();
        var key = new SecureString();
        foreach (char c in Receiver.QueryKey) key.AppendChar(c);
        using var client = new SobotReceiverClient(new SobotReceiverOptions(new Uri(r.Host.QueryUrl), key));

        var yesterday = DateTimeOffset.UtcNow.AddHours(-30).ToUnixTimeSeconds();
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        await r.DeliverAsync(Payloads.Inbound("wamid.OLD", "911111111111", "hello", yesterday));
        await r.DeliverAsync(Payloads.Inbound("wamid.NEW", "922222222222", "STOP", anHourAgo));

        var stopped = Assert.Single(await client.GetOptOutsAsync());
        Assert.Equal(("922222222222", DateTimeOffset.FromUnixTimeSeconds(anHourAgo), "inbound:wamid.NEW"), (stopped.CustomerNumber, stopped.Since, stopped.Source));
        var added = await client.AddOptOutAsync("+1 555-0100", "alice@host");
        Assert.Equal(("15550100", "manual:alice@host"), (added.CustomerNumber, added.Source));
        Assert.Equal(added.Since, (await client.GetOptOutAsync("15550100"))!.Since);
        Assert.True(await client.RemoveOptOutAsync("15550100"));
        Assert.Null(await client.GetOptOutAsync("15550100"));
        Assert.Equal(400, (await Assert.ThrowsAsync<SobotReceiverException>(() => client.GetOptOutAsync("call me"))).StatusCode);

        var numbers = new[] { "+911111111111", "922222222222", "933333333333" };
        var lastInbound = (await client.GetLastInboundAsync(numbers)).ToDictionary(l => l.CustomerNumber);
        var now = DateTimeOffset.UtcNow;
        var windows = numbers.Select(n => ConversationWindow.Compute(n, lastInbound.GetValueOrDefault(n.TrimStart('+')), now)).ToList();
        Assert.Equal([false, true, false], windows.Select(w => w.IsOpen));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(anHourAgo).AddHours(24), windows[1].ExpiresAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(yesterday).AddHours(24), windows[0].ExpiresAt);
        Assert.Null(windows[2].LastInboundAt);
    }
}
