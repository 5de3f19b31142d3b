using System.Globalization;

/// <summary>What one timed run of posters saw: throughput and acknowledgement latency percentiles.</summary>
public sealed record Measurement(int Acknowledged, int Failed, double Seconds, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public double EventsPerSecond => Acknowledged / Seconds;

    public const string Header = "| endpoint | events/s | p50 ack ms | p95 ack ms | p99 ack ms | max ms | failed |";

    public string Row(string name) => string.Format(CultureInfo.InvariantCulture,
        "| {0} | {1:0} | {2:0.0} | {3:0.0} | {4:0.0} | {5:0.0} | {6} |", name, EventsPerSecond, P50Ms, P95Ms, P99Ms, MaxMs, Failed);

    public static Measurement From(List<double> latenciesMs, int failed, double seconds)
    {
        latenciesMs.Sort();
        double At(double q) => latenciesMs.Count == 0 ? 0 : latenciesMs[Math.Min(latenciesMs.Count - 1, (int)Math.Ceiling(q * latenciesMs.Count) - 1)];
        return new Measurement(latenciesMs.Count, failed, seconds, At(0.50), At(0.95), At(0.99), latenciesMs.Count == 0 ? 0 : latenciesMs[^1]);
    }

    /// <summary>
    /// Several rounds as one: their events over their summed time; each percentile is the worst round's (percentiles
    /// of separate rounds cannot be merged exactly, so this errs on the slow side).
    /// </summary>
    public static Measurement Sum(IReadOnlyList<Measurement> rounds) => new(
        rounds.Sum(r => r.Acknowledged), rounds.Sum(r => r.Failed), rounds.Sum(r => r.Seconds),
        rounds.Max(r => r.P50Ms), rounds.Max(r => r.P95Ms), rounds.Max(r => r.P99Ms), rounds.Max(r => r.MaxMs));
}
