namespace Sobot.Receiver.Store;

/// <summary>
/// The schema steps from 3 on, written once for both stores: each store's list is its own first two steps (written
/// before the stores shared SQL, and kept as released) followed by these. A new step goes at the end of
/// <see cref="Steps"/>, in SQL both dialects take (<see cref="PortableSql"/>), with the one difference of the two
/// dialects passed in; both stores then record its number as their version.
/// </summary>
internal static class SharedSchema
{
    /// <param name="generated">
    /// How a generated column is kept: SQLite can add only a VIRTUAL one (computed when read, and kept in an index),
    /// PostgreSQL only a STORED one.
    /// </param>
    public static IReadOnlyList<SchemaStep> Steps(string generated) =>
    [
        // 3: effective time, canonical numbers, the wait's index, consumer leases.
        SchemaThree.Step(generated),
    ];
}
