using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Postgres;

namespace Sobot.Receiver.Tests;

/// <summary>The opt-out and window contract on the PostgreSQL store, each test in a new database of the shared throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOptOutAndWindowTests(PostgresCluster cluster) : OptOutAndWindowContract
{
    protected override async Task<IEventStore> CreateStoreAsync() =>
        await PostgresEventStore.OpenAsync(new PostgresStoreOptions(await cluster.CreateDatabaseAsync()));
}
