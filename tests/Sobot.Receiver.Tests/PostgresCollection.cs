namespace Sobot.Receiver.Tests;

/// <summary>The tests that share one throwaway PostgreSQL cluster (each in a database of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
