using System.Text.Json.Nodes;
using Sobot.Client.Bulk;
using Sobot.Client.Campaigns;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Tests;

/// <summary>The journal joined with what the receiver knows, and the report made from it.</summary>
public class CampaignTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);

    private static JournalEntry Sent(int i, int minute = 0) =>
        new($"k{i}#1", JournalState.Sent, "9199700" + i.ToString("00000"), "wamid." + i, null, false, T0.AddMinutes(minute));

    private static SobotMessageStatus Status(string id, string status, int minute, int? code = null, string? title = null)
    {
        var json = new JsonObject { ["messageId"] = id, ["status"] = status, ["timestamp"] = T0.AddMinutes(minute).ToString("o"), ["seq"] = 1 };
        if (status == "read") json["readAt"] = T0.AddMinutes(minute).ToString("o");
        if (code != null) { json["errorCode"] = code; json["errorTitle"] = title; }
        return SobotReceiverEventReader.ReadStatus(json.ToJsonString());
    }

    private static DeliveryJoin Join(IEnumerable<SobotMessageStatus> statuses, IReadOnlyDictionary<string, DateTimeOffset>? lastInbound = null, List<int>? pageSizes = null) =>
        new((ids, _) =>
        {
            pageSizes?.Add(ids.Count);
            IReadOnlyList<SobotMessageStatus> found = statuses.Where(s => ids.Contains(s.MessageId!)).ToList();
            return Task.FromResult(found);
        }, lastInbound is null ? null : (numbers, _) => Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(numbers.Where(lastInbound.ContainsKey).ToDictionary(n => n, n => lastInbound[n])));

    [Fact]
    public async Task Joins_each_accepted_row_with_its_latest_status_and_ignores_statuses_of_other_messages()
    {
        var rows = new List<JournalEntry> { Sent(1), Sent(2), Sent(3), Sent(4), new("r:x#1", JournalState.Failed, "12", null, "invalid", false, T0) };
        await Join([Status("wamid.1", "read", 5), Status("wamid.2", "delivered", 3), Status("wamid.3", "failed", 2, 131026, "Message undeliverable"), Status("wamid.99", "read", 1)]).JoinAsync(rows);
        Assert.Equal(DeliveryState.Read, rows[0].Delivery);
        Assert.Equal(T0.AddMinutes(5), rows[0].ReadAt);
        Assert.NotNull(rows[0].DeliveredAt);            // read implies delivered
        Assert.Equal(DeliveryState.Delivered, rows[1].Delivery);
        Assert.Equal(DeliveryState.Failed, rows[2].Delivery);
        Assert.Equal("131026 Message undeliverable", rows[2].FailureReason);
        Assert.Equal(DeliveryState.Submitted, rows[3].Delivery);   // no status yet
        Assert.Null(rows[4].Delivery);                              // never accepted
    }

    [Fact]
    public async Task Asks_in_pages_of_a_thousand_never_per_row()
    {
        var rows = Enumerable.Range(0, 2500).Select(i => Sent(i)).ToList();
        var pages = new List<int>();
        await Join([], null, pages).JoinAsync(rows);
        Assert.Equal(new[] { 1000, 1000, 500 }, pages);
    }

    [Fact]
    public async Task A_reply_counts_when_the_customer_wrote_at_or_after_the_send()
    {
        var rows = new List<JournalEntry> { Sent(1, minute: 10), Sent(2, minute: 10), Sent(3, minute: 10) };
        var last = new Dictionary<string, DateTimeOffset> { ["919970000001"] = T0.AddMinutes(12), ["919970000002"] = T0.AddMinutes(9) };
        await Join([], last).JoinAsync(rows);
        Assert.True(rows[0].Replied);
        Assert.False(rows[1].Replied);   // wrote before the send
        Assert.False(rows[2].Replied);   // never wrote
    }

    [Fact]
    public async Task The_report_counts_rates_funnel_reasons_and_hours_as_the_rows_say()
    {
        var rows = Enumerable.Range(0, 10).Select(i => Sent(i, minute: i * 20)).ToList();
        rows.Add(new JournalEntry("r:bad#1", JournalState.Failed, "12", null, "invalid", false, T0));
        var statuses = new List<SobotMessageStatus>();
        for (int i = 0; i < 6; i++) statuses.Add(Status("wamid." + i, i < 4 ? "read" : "delivered", i * 20 + 5));
        statuses.Add(Status("wamid.6", "failed", 125, 131026, "Message undeliverable"));
        statuses.Add(Status("wamid.7", "failed", 145, 131047, "Re-engagement message"));
        statuses.Add(Status("wamid.8", "failed", 165, 131026, "Message undeliverable"));
        var last = new Dictionary<string, DateTimeOffset> { ["919970000000"] = T0.AddMinutes(30), ["919970000003"] = T0.AddMinutes(90) };
        await Join(statuses, last).JoinAsync(rows);
        var optedOut = new Dictionary<string, DateTimeOffset> { ["919970000003"] = T0.AddMinutes(90), ["919970000005"] = T0.AddMinutes(-60) };
        var report = CampaignReport.From("c.journal", rows, optedOut, T0.AddDays(1));

        Assert.Equal(11, report.Rows);
        Assert.Equal(10, report.Submitted);
        Assert.Equal(1, report.NotSent);
        Assert.Equal(6, report.Delivered);
        Assert.Equal(4, report.Read);
        Assert.Equal(3, report.Failed);
        Assert.Equal(1, report.Pending);
        Assert.Equal(2, report.Replied);
        Assert.Equal(1, report.OptedOut);                  // 919970000005 opted out before its send
        Assert.Equal(0.6, report.DeliveredRate, 3);
        Assert.Equal(new[] { "Submitted", "Delivered", "Read", "Replied" }, report.Funnel.Select(f => f.Step));
        Assert.Equal(new long[] { 10, 6, 4, 2 }, report.Funnel.Select(f => f.Count));
        Assert.Equal("131026 Message undeliverable", report.FailureReasons[0].Reason);
        Assert.Equal(2, report.FailureReasons[0].Count);
        Assert.Equal(10, report.Hours.Sum(h => h.Sends));
        Assert.Equal(4, report.Hours.Sum(h => h.Reads));
        Assert.Equal(3, report.Hours.First().Sends);       // minutes 0, 20, 40 of the first hour

        string html = CampaignReportHtml.Render(report);
        Assert.Contains("data-figure=\"Delivered\">6<", html);
        Assert.Contains("data-figure=\"OptedOut\">1<", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty));
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void The_page_encodes_what_it_shows()
    {
        var rows = new List<JournalEntry> { Sent(1) };
        DeliveryJoin.Apply(rows[0], Status("wamid.1", "failed", 1, 1, "<script>alert(1)</script>"));
        var html = CampaignReportHtml.Render(CampaignReport.From("<b>j</b>", rows, null, T0), "A & B");
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;b&gt;j&lt;/b&gt;", html);
        Assert.Contains("A &amp; B", html);
    }
}
