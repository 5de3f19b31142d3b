using Microsoft.Data.Sqlite;
using Sobot.Receiver.Ingress;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.Tests;

/// <summary>What only the SQLite store has to show (the shared contract is in <see cref="EventStoreContract"/>).</summary>
public class SqliteEventStoreTests
{
    private static WebhookDelivery Delivery(string body) =>
        new(System.Text.Encoding.UTF8.GetBytes(body), WebhookEventMapper.Map(System.Text.Encoding.UTF8.GetBytes(body)), DateTimeOffset.UtcNow, "127.0.0.1");

    [Fact]
    public async Task Events_consumers_and_statuses_outlive_a_reopen_and_seqs_are_never_reused()
    {
        using var folder = new TempDirectory();
        var options = new SqliteStoreOptions(folder.File("nested/folder/events.db"));
        await using (var store = SqliteEventStore.Open(options))
        {
            await store.AppendAsync(Delivery(Payloads.Status("wamid.1", "sent", 1)));
            await store.AppendAsync(Delivery(Payloads.Status("wamid.1", "read", 3)));
            await store.SetConsumerAsync("helpdesk", 2);
        }
        // Delete the newest event by hand: AUTOINCREMENT must still not hand its seq out again.
        using (var connection = new SqliteConnection($"Data Source={options.Path};Pooling=False"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM events WHERE seq = 2";
            delete.ExecuteNonQuery();
        }
        await using (var store = SqliteEventStore.Open(options))
        {
            Assert.Equal("read", (await store.GetStatusAsync("wamid.1"))!.Status);
            Assert.Equal(2, (await store.GetConsumerAsync("helpdesk"))!.Position);
            await store.AppendAsync(Delivery(Payloads.Status("wamid.2", "sent", 4)));
            var events = await store.ReadEventsAsync(new EventQuery());
            Assert.Equal([1L, 3L], events.Select(e => e.Seq));
            var health = await store.GetHealthAsync();
            Assert.Equal((2L, 3L), (health.EventCount, health.LastSeq));
        }
    }

    [Fact]
    public async Task A_store_written_by_a_newer_receiver_is_refused()
    {
        using var folder = new TempDirectory();
        var options = new SqliteStoreOptions(folder.File("events.db"));
        await (SqliteEventStore.Open(options)).DisposeAsync();
        using (var connection = new SqliteConnection($"Data Source={options.Path};Pooling=False"))
        {
            connection.Open();
            using var bump = connection.CreateCommand();
            bump.CommandText = $"PRAGMA user_version = {SqliteSchema.Version + 1}";
            bump.ExecuteNonQuery();
        }
        Assert.Contains("newer", Assert.Throws<StoreUnavailableException>(() => SqliteEventStore.Open(options)).Message);
    }
}
