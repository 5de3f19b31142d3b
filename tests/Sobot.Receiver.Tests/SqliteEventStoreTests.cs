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

    /// <summary>
    /// The two queries of a wait: answers already there, by number and effective time, then the long poll from the head
    /// by number. Both are searches of a number's index entries, never a scan of the events (nor of all inbound events
    /// by kind), and the long poll's search starts at the head, so old events are never read.
    /// </summary>
    [Fact]
    public async Task The_queries_of_a_wait_search_indexes_and_the_long_poll_starts_at_the_head()
    {
        using var folder = new TempDirectory();
        var options = new SqliteStoreOptions(folder.File("plans.db"));
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        await using (var store = SqliteEventStore.Open(options))
        {
            await FillAsync(store, start);
        }
        using var connection = new SqliteConnection($"Data Source={options.Path};Pooling=False");
        connection.Open();
        string[] one = ["919900000007"], several = Enumerable.Range(0, 10).Select(i => $"9199000{i:00000}").ToArray();
        foreach (var numbers in new[] { one, several })
        {
            var lookup = Plan(connection, new EventQuery { Kind = EventKind.Inbound, CustomerNumbers = numbers, Since = start.AddHours(1), Limit = EventQuery.MaxLimit });
            Assert.Equal("SEARCH events USING INDEX events_customer_time (customer_number=? AND effective_at>?)",
                Assert.Single(lookup, l => l.Contains("events", StringComparison.Ordinal)));
            var poll = Plan(connection, new EventQuery { Kind = EventKind.Inbound, CustomerNumbers = numbers, After = 4000, Limit = EventQuery.MaxLimit });
            Assert.Equal("SEARCH events USING INDEX events_customer (customer_number=? AND seq>?)", Assert.Single(poll, l => l.Contains("events", StringComparison.Ordinal)));
        }
    }

    /// <summary>5,000 inbound messages and 1,000 statuses from 300 numbers, over a day.</summary>
    internal static async Task FillAsync(IEventStore store, DateTimeOffset start)
    {
        for (int batch = 0; batch < 20; batch++)
        {
            var range = Enumerable.Range(batch * 250, 250).ToList();
            await store.AppendAsync(Delivery(Payloads.Array(range.Select(i =>
                Payloads.Inbound($"wamid.I{i}", $"9199000{i % 300:00000}", "hi", start.ToUnixTimeSeconds() + i * 15)[1..^1]).ToArray())));
            await store.AppendAsync(Delivery(Payloads.Array(range.Where(i => i % 5 == 0).Select(i =>
                Payloads.Failed($"wamid.S{i}", start.ToUnixTimeSeconds() + i * 15, $"9199000{i % 300:00000}")).ToArray())));
        }
    }

    private static List<string> Plan(SqliteConnection connection, EventQuery query)
    {
        using var command = SqliteEventStore.EventQueryCommand(connection, query);
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read()) lines.Add(reader.GetString(3));
        return lines;
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
