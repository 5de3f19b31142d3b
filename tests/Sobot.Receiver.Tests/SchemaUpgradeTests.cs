using Microsoft.Data.Sqlite;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.Tests;

/// <summary>A store file written by the previous receiver (schema 1) opens in place under schema 2.</summary>
public class SchemaUpgradeTests
{
    [Fact]
    public async Task A_schema_1_store_upgrades_in_place_keeping_its_events_and_learning_last_inbound()
    {
        using var folder = new TempDirectory();
        var options = new SqliteStoreOptions(folder.File("events.db"));
        await using (var store = SqliteEventStore.Open(options))
        {
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.NEW", "919960123456", "later", timestamp: 1_700_000_200)));
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.OLD", "919960123456", "STOP", timestamp: 1_700_000_100)));
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.PLUS", "+911111111111", "hi", timestamp: 1_700_000_050)));
            await store.AppendAsync(Deliveries.Of(Payloads.Status("wamid.S", "read", 1_700_000_300)));
            await store.SetConsumerAsync("helpdesk", 3);
        }
        // Schema 2 only added tables: without them, and with user_version 1, the file is what schema 1 wrote.
        using (var connection = new SqliteConnection($"Data Source={options.Path};Pooling=False"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = "DROP TABLE opt_outs; DROP TABLE consent_decisions; DROP TABLE last_inbound; PRAGMA user_version = 1;";
            downgrade.ExecuteNonQuery();
        }

        await using (var store = SqliteEventStore.Open(options))
        {
            var events = await store.ReadEventsAsync(new EventQuery());
            Assert.Equal(["wamid.NEW", "wamid.OLD", "wamid.PLUS", "wamid.S"], events.Select(e => e.MessageId));
            Assert.Equal("read", (await store.GetStatusAsync("wamid.S"))!.Status);
            Assert.Equal(3, (await store.GetConsumerAsync("helpdesk"))!.Position);
            Assert.Equal(
                [new LastInboundRecord("911111111111", DateTimeOffset.FromUnixTimeSeconds(1_700_000_050), "wamid.PLUS"),
                 new LastInboundRecord("919960123456", DateTimeOffset.FromUnixTimeSeconds(1_700_000_200), "wamid.NEW")],
                (await store.GetLastInboundAsync(["919960123456", "911111111111"])).OrderBy(w => w.CustomerNumber));
            // Stop words are not replayed over old messages (docs/receiver.md says why); new ones apply.
            Assert.Empty(await store.ListOptOutsAsync());
            await store.AppendAsync(Deliveries.Of(Payloads.Inbound("wamid.STOP", "919960123456", "STOP", timestamp: 1_700_000_400)));
            Assert.Equal("inbound:wamid.STOP", (await store.GetOptOutAsync("919960123456"))!.Source);
        }
        using (var connection = new SqliteConnection($"Data Source={options.Path};Pooling=False"))
        {
            connection.Open();
            Assert.Equal(2L, SqliteSchema.Scalar(connection, "PRAGMA user_version"));
        }
    }
}
