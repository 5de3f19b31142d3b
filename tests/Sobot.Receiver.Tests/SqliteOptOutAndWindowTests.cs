using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.Tests;

/// <summary>The opt-out and window contract on the SQLite store, each test in a temp folder of its own.</summary>
public sealed class SqliteOptOutAndWindowTests : OptOutAndWindowContract, IDisposable
{
    private readonly TempDirectory _folder = new();
    private int _stores;

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(SqliteEventStore.Open(new SqliteStoreOptions(_folder.File($"events-{++_stores}.db"))));

    public void Dispose() => _folder.Dispose();
}
