namespace Sobot.Receiver.Tests;

/// <summary>Makes <see cref="PostgresCluster"/> an xunit fixture (its InitializeAsync and DisposeAsync are the lifetime).</summary>
public sealed partial class PostgresCluster : IAsyncLifetime;
