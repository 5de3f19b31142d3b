using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Postgres;

namespace Sobot.Receiver.Tests;

/// <summary>The store contract against PostgreSQL, each test in a new database of the shared throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEventStoreContractTests(PostgresCluster cluster) : EventStoreContract
{
    private string? _connectionString;

    protected override async Task<IEventStore> OpenAsync(TimeProvider? clock = null)
    {
        _connectionString ??= await cluster.CreateDatabaseAsync();
        var store = await PostgresEventStore.OpenAsync(new PostgresStoreOptions(_connectionString), clock);
        // The listener pulses once when it first listens; wait for it so that pulse cannot be taken for a commit.
        await store.Listening.WaitAsync(TimeSpan.FromSeconds(60));
        return store;
    }
}
