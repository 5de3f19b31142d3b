using Npgsql;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Postgres;

namespace Sobot.Receiver.Tests;

/// <summary>The schema 2 upgrade contract on PostgreSQL, in a new database of the shared throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaUpgradeTests(PostgresCluster cluster) : SchemaUpgradeContract
{
    /// <summary>Schema 3 added a column (its index goes with it) and a table.</summary>
    internal const string SchemaThreeAdded = "ALTER TABLE events DROP COLUMN effective_at; DROP TABLE consumer_leases;";

    private string? _database;

    protected override async Task<IEventStore> OpenAsync()
    {
        _database ??= await cluster.CreateDatabaseAsync();
        return await PostgresEventStore.OpenAsync(new PostgresStoreOptions(_database));
    }

    protected override string ToSchemaTwo => SchemaThreeAdded + " UPDATE store_schema SET version = 2;";

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<long> VersionAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM store_schema", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
