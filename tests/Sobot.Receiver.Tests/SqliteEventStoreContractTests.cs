using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.Tests;

/// <summary>The store contract against the embedded SQLite store.</summary>
public sealed class SqliteEventStoreContractTests : EventStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override Task<IEventStore> OpenAsync(TimeProvider? clock = null) =>
        Task.FromResult<IEventStore>(SqliteEventStore.Open(new SqliteStoreOptions(_folder.File("events.db")), clock));

    public void Dispose() => _folder.Dispose();
}
