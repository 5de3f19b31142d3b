using Microsoft.Data.Sqlite;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.Tests;

/// <summary>Store files written by earlier receivers (schemas 1 and 2) open in place under the current schema.</summary>
public sealed class SchemaUpgradeTests : SchemaUpgradeContract, IDisposable
{
    /// <summary>Schema 3 added a column, an index and a table: without them, and with user_version 2, the file is what schema 2 wrote.</summary>
    private const string SchemaThreeAdded = "DROP INDEX events_customer_time; ALTER TABLE events DROP COLUMN effective_at; DROP TABLE consumer_leases;";

    private readonly TempDirectory _folder = new();

    private string StorePath => _folder.File("upgraded.db");

    protected override Task<IEventStore> OpenAsync() => Task.FromResult<IEventStore>(SqliteEventStore.Open(new SqliteStoreOptions(StorePath)));

    protected override string ToSchemaTwo => SchemaThreeAdded + " PRAGMA user_version = 2;";

    protected override Task ExecuteAsync(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    protected override Task<long> VersionAsync()
    {
        using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        connection.Open();
        return Task.FromResult(SqliteSchema.Scalar(connection, "PRAGMA user_version"));
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_store_of_a_newer_receiver_that_is_writing_is_refused_as_newer_not_as_locked()
    {
        await (await OpenAsync()).DisposeAsync();
        await ExecuteAsync($"PRAGMA user_version = {SqliteSchema.Version + 1};");
        // The newer receiver holds the write lock: an older one must say why it cannot open, not wait for the lock.
        using var newer = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        newer.Open();
        using var writing = newer.BeginTransaction();

        var error = Assert.Throws<StoreUnavailableException>(() => SqliteEventStore.Open(new SqliteStoreOptions(StorePath) { BusyTimeoutSeconds = 1 }));
        Assert.Contains("written by a newer receiver", error.Message);
    }

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
        // Schema 2 only added tables: without them and what schema 3 added, and with user_version 1, the file is what schema 1 wrote.
        using (var connection = new SqliteConnection($"Data Source={options.Path};Pooling=False"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = SchemaThreeAdded + " DROP TABLE opt_outs; DROP TABLE consent_decisions; DROP TABLE last_inbound; PRAGMA user_version = 1;" +
                " UPDATE events SET customer_number = '+911111111111' WHERE message_id = 'wamid.PLUS';";
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
            Assert.Equal(3L, SqliteSchema.Scalar(connection, "PRAGMA user_version"));
        }
    }
}
