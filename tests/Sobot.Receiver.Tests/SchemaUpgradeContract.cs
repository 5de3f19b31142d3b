using Sobot.Receiver.Store;

namespace Sobot.Receiver.Tests;

/// <summary>
/// A store that schema 2 wrote and a forged timestamp poisoned (a START dated 2100 locking a number's consent, a
/// message dated 2036 holding a window open, numbers kept as they came) heals when schema 3 opens it. Run against each
/// store by a subclass that says how to open it and how to write raw SQL into it.
/// </summary>
public abstract class SchemaUpgradeContract
{
    private const long Year2100Ms = 4_102_444_800_000;

    /// <summary>Opens this test's store: empty the first time, holding what was written before afterwards.</summary>
    protected abstract Task<IEventStore> OpenAsync();

    /// <summary>Runs SQL on the closed store's database.</summary>
    protected abstract Task ExecuteAsync(string sql);

    /// <summary>The SQL that takes a store back to what schema 2 wrote: no effective time, no leases, version 2.</summary>
    protected abstract string ToSchemaTwo { get; }

    /// <summary>The schema version the store records.</summary>
    protected abstract Task<long> VersionAsync();

    [Fact]
    public async Task A_poisoned_schema_2_store_heals_on_upgrade()
    {
        var arrival = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds());
        long written = arrival.AddHours(-1).ToUnixTimeSeconds();
        long in2036 = new DateTimeOffset(2036, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.N1", "919876500040", "hi", written), arrival));
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.FORGEDSTART", "919960123456", "START", Year2100Ms / 1000), arrival));
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.2036", "911111111111", "hello", in2036), arrival));
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.FORGEDSTOP", "922222222222", "STOP", Year2100Ms / 1000), arrival));
            await store.SetConsumerAsync("helpdesk", 2);
        }
        await ExecuteAsync(ToSchemaTwo);
        // What schema 2 kept for those webhooks: numbers as they came, times as the webhooks claimed.
        await ExecuteAsync($"""
            UPDATE events SET customer_number = '+91 98765-00040' WHERE message_id = 'wamid.N1';
            UPDATE last_inbound SET customer_number = '+91 98765-00040' WHERE customer_number = '919876500040';
            UPDATE consent_decisions SET decided_at = {Year2100Ms} WHERE customer_number IN ('919960123456', '922222222222');
            UPDATE opt_outs SET since = {Year2100Ms} WHERE customer_number = '922222222222';
            UPDATE last_inbound SET last_inbound_at = {in2036 * 1000} WHERE customer_number = '911111111111';
            UPDATE last_inbound SET last_inbound_at = {Year2100Ms} WHERE customer_number IN ('919960123456', '922222222222');
            INSERT INTO opt_outs(customer_number, since, source) VALUES ('+1 555-0100', 1700000000000, 'manual:alice@host');
            INSERT INTO consent_decisions(customer_number, decided_at) VALUES ('+1 555-0100', 1700000000000);
            """);

        await using (var store = await OpenAsync())
        {
            Assert.Equal(3, await VersionAsync());
            var upgraded = DateTimeOffset.UtcNow;

            // Numbers in the client's canonical form, events and lists alike.
            Assert.Equal(["wamid.N1"], (await store.ReadEventsAsync(new EventQuery { CustomerNumbers = ["919876500040"] })).Select(e => e.MessageId));
            Assert.Equal(new OptOutRecord("15550100", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), "manual:alice@host"), await store.GetOptOutAsync("15550100"));

            // Every event timed by the rule: the timestamp, or the arrival when the timestamp was too far ahead.
            var events = await store.ReadEventsAsync(new EventQuery());
            Assert.All(events, e => Assert.Equal(EffectiveTime.Of(e.EventTime, e.ReceivedAt), e.EffectiveAt));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(written), events.Single(e => e.MessageId == "wamid.N1").EffectiveAt);
            var arrivalSecond = DateTimeOffset.FromUnixTimeSeconds(arrival.ToUnixTimeSeconds());
            Assert.Equal(arrivalSecond, events.Single(e => e.MessageId == "wamid.FORGEDSTART").EffectiveAt);

            // Windows from the messages' effective times: the 2036 message opened it at its arrival.
            Assert.Equal(
                [new LastInboundRecord("911111111111", arrivalSecond, "wamid.2036"), new LastInboundRecord("919876500040", DateTimeOffset.FromUnixTimeSeconds(written), "wamid.N1")],
                (await store.GetLastInboundAsync(["911111111111", "919876500040"])).OrderBy(w => w.CustomerNumber));

            // No opt-out dated after the upgrade; a real STOP after the forged START counts, and a real START after the
            // forged STOP takes the number off.
            Assert.InRange((await store.GetOptOutAsync("922222222222"))!.Since, arrival, upgraded);
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.REALSTOP", "919960123456", "STOP", DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
            Assert.Equal("inbound:wamid.REALSTOP", (await store.GetOptOutAsync("919960123456"))?.Source);
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.REALSTART", "922222222222", "START", DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
            Assert.Null(await store.GetOptOutAsync("922222222222"));

            Assert.Equal(2, (await store.GetConsumerAsync("helpdesk"))!.Position);
        }
    }
}
