using System.Globalization;
using Sobot.Receiver.Tests;

/// <summary>
/// Scenario 10: ingest into PostgreSQL through two receivers (one database, posters spread over both), beside one
/// receiver on SQLite under the same load. Target: at least 3,000 events/s together. Then scenario 12 (waits while
/// listening, <see cref="WaitScenario"/>) on one receiver on a database of its own.
/// </summary>
public static class PostgresScenario
{
    private const string Token = "tok_bench0123456789abcdefghijKLMN";
    private const string QueryKey = "key_bench0123456789abcdefghijKLMN";

    public static async Task<int> RunAsync(int events, int posters, int waitPrefill, int waitEvents, bool waitsOnly)
    {
        if (waitsOnly) return await WaitsAsync(posters, waitPrefill, waitEvents);
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        int warmUp = Math.Min(5_000, events / 10);
        string work = Path.Combine(Path.GetTempPath(), "sobot-receiver-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        Measurement sqlite, postgres;
        try
        {
            using (var child = Child.StartReceiver(Path.Combine(work, "ingest.db")))
                sqlite = await Posting.RunAsync(child.WebhookUrl, events, posters, warmUp, Status);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
        var cluster = new PostgresCluster();
        try
        {
            await cluster.InitializeAsync();
            string database = await cluster.CreateDatabaseAsync();
            using var a = Child.StartPostgresReceiver(database, Token, QueryKey);
            using var b = Child.StartPostgresReceiver(database, Token, QueryKey);
            postgres = await Posting.RunAsync([a.WebhookUrl, b.WebhookUrl], events, posters, warmUp, Status);
            Console.WriteLine($"stored: {await a.HealthAsync()}");
        }
        finally
        {
            await cluster.DisposeAsync();
        }
        Console.WriteLine();
        Console.WriteLine($"Scenario 10: {events:N0} status events, {posters} posters, one event per POST");
        Console.WriteLine(Measurement.Header);
        Console.WriteLine(sqlite.Row("one receiver, SQLite (scenario 7)"));
        Console.WriteLine(postgres.Row("two receivers, one PostgreSQL database"));
        Console.WriteLine($"target: >= 3,000 events/s together -> {(postgres.EventsPerSecond >= 3000 && postgres.Failed == 0 ? "met" : "NOT met")}");
        Console.WriteLine();
        return await WaitsAsync(posters, waitPrefill, waitEvents);
    }

    private static async Task<int> WaitsAsync(int posters, int prefill, int events)
    {
        var cluster = new PostgresCluster();
        try
        {
            await cluster.InitializeAsync();
            string database = await cluster.CreateDatabaseAsync();
            using var receiver = Child.StartPostgresReceiver(database, Token, QueryKey);
            await WaitScenario.RunAsync(receiver, "PostgreSQL", prefill, events, posters, () => AnalyzeAsync(database));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
        return 0;
    }

    /// <summary>
    /// What autovacuum does to a live store: fresh planner statistics. Filled in seconds, the bench's database has none
    /// yet, and PostgreSQL then plans a wait's lookup (inbound, one number, since) as a scan of every inbound entry of
    /// the kind index (130,000 index entries, 10 to 30 ms a lookup) instead of the number's own index.
    /// </summary>
    private static async Task AnalyzeAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var analyze = new Npgsql.NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static string Status(int n) => "{\"id\":\"wamid.PG" + n.ToString(CultureInfo.InvariantCulture) + "\",\"status\":\"delivered\",\"timestamp\":\"" +
        (1_700_000_000 + n).ToString(CultureInfo.InvariantCulture) + "\",\"recipient_id\":\"9199" + (Math.Abs(n) % 1_000_000).ToString("000000", CultureInfo.InvariantCulture) + "55\"}";
}
