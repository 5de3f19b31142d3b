using System.Security;
using Sobot.Client.Bulk;
using Sobot.Client.Models.Requests;
using Sobot.Client.PreSend;
using Sobot.Client.Receiver;

namespace Sobot.Client.Tests;

/// <summary>
/// The checks before each send: the opt-out list (from the receiver, else the copy kept on disk, else none), the
/// 24-hour window and the fallback template, against a canned receiver that can be taken down mid-test.
/// </summary>
public sealed class PreSendTests : IDisposable
{
    private const string Key = "key_0123456789abcdefghijKLMNOP";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sobot-presend-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static SobotReceiverClient Receiver(Uri uri)
    {
        var key = new SecureString();
        foreach (char c in Key) key.AppendChar(c);
        return new SobotReceiverClient(new SobotReceiverOptions(uri, key) { Timeout = TimeSpan.FromSeconds(10) });
    }

    /// <summary>A client that is never called (opt-out and window checks need none).</summary>
    private static SobotClient Offline() =>
        new(new SobotClientOptions(new SobotCredential("access", TestEmulator.Secure("secret"))) { BaseUri = new Uri("http://127.0.0.1:9/") });

    private static Uri DeadUri()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private static RawHttpServer CannedReceiver(string optOuts, string windows = """{"windows":[]}""") =>
        new(head => head.Split("\r\n")[0] switch
        {
            "GET /v1/optouts HTTP/1.1" => RawHttpServer.Response(200, optOuts),
            "POST /v1/windows/query HTTP/1.1" => RawHttpServer.Response(200, windows),
            _ => RawHttpServer.Response(404, """{"message":"no","code":404}"""),
        });

    private const string OneOptOut = """{"optOuts":[{"customerNumber":"919960123456","since":"2026-11-25T13:00:00.000Z","source":"inbound:wamid.S"}]}""";

    private static List<PreSendNotice> Notices(PreSendStep step)
    {
        var all = new List<PreSendNotice>();
        while (step.TryTakeNotice(out var n)) all.Add(n);
        return all;
    }

    private static TextMessageRequest Text(string number) => new(number, number, "hi");

    [Fact]
    public async Task Skips_an_opted_out_number_and_keeps_the_list_read_on_disk()
    {
        using var server = CannedReceiver(OneOptOut);
        using var receiver = Receiver(server.BaseUri);
        var cache = new OptOutCache(_folder);
        var step = new PreSendStep(Offline(), receiver, new PreSendOptions { Cache = cache, SkipWindowCheck = true });
        await step.StartAsync();
        Assert.Equal(OptOutListSource.Receiver, step.OptOuts!.Source);
        Assert.Empty(Notices(step));

        var skipped = await step.CheckAsync(Text("919960123456"));
        Assert.Equal(PreSendVerdict.Skip, skipped.Verdict);
        Assert.IsType<SobotOptedOutException>(skipped.Error);
        Assert.Equal(PreSendVerdict.Send, (await step.CheckAsync(Text("919960123457"))).Verdict);

        var kept = cache.Load(server.BaseUri)!;
        Assert.Equal(OptOutListSource.Disk, kept.Source);
        Assert.Equal("inbound:wamid.S", kept.Find("+91 99601-23456")!.Source);

        var included = new PreSendStep(Offline(), receiver, new PreSendOptions { IncludeOptedOut = true, SkipWindowCheck = true });
        await included.StartAsync();
        var anyway = await included.CheckAsync(Text("919960123456"));
        Assert.Equal(PreSendVerdict.Send, anyway.Verdict);
        Assert.NotNull(anyway.OptOut);
    }

    [Fact]
    public async Task With_the_receiver_down_the_list_kept_on_disk_still_skips_and_the_run_is_told_once_with_its_age()
    {
        var cache = new OptOutCache(_folder);
        Uri uri;
        using (var server = CannedReceiver(OneOptOut))
        {
            uri = server.BaseUri;
            using var receiver = Receiver(uri);
            await new PreSendStep(Offline(), receiver, new PreSendOptions { Cache = cache }).StartAsync();
        }

        using var down = Receiver(uri);
        var later = DateTimeOffset.UtcNow.AddHours(2).AddMinutes(5);
        var step = new PreSendStep(Offline(), down, new PreSendOptions { Cache = cache, RequireOptOutList = true, Clock = () => later });
        await step.StartAsync();
        Assert.Equal(OptOutListSource.Disk, step.OptOuts!.Source);
        Assert.NotNull(step.ReceiverProblem);

        Assert.Equal(PreSendVerdict.Skip, (await step.CheckAsync(Text("919960123456"))).Verdict);
        // Free-form, with the window unknown: sent as asked (Sobot enforces the window), without asking again.
        Assert.Equal(PreSendVerdict.Send, (await step.CheckAsync(Text("919960123457"))).Verdict);
        Assert.Equal(PreSendVerdict.Send, (await step.CheckAsync(Text("919960123458"))).Verdict);

        var notice = Assert.Single(Notices(step));
        Assert.Equal(PreSendNoticeKind.OptOutListFromDisk, notice.Kind);
        Assert.InRange(notice.ListAge!.Value, TimeSpan.FromHours(2), TimeSpan.FromHours(2.2));
        Assert.Contains("could not be reached", notice.Message);
        Assert.Contains("read from it 2 h 5 min ago", notice.Message);
        Assert.Contains("1 number", notice.Message);
        // The client's words name no cmdlet and no parameter; the module adds those.
        Assert.DoesNotMatch(@"(^|\s|\()-[A-Z]|[A-Z][a-z]+-Sobot", notice.Message);
    }

    [Fact]
    public async Task With_no_list_ever_kept_the_run_sends_with_a_notice_unless_it_requires_one()
    {
        var uri = DeadUri();
        using var down = Receiver(uri);
        var step = new PreSendStep(Offline(), down, new PreSendOptions { Cache = new OptOutCache(_folder) });
        await step.StartAsync();
        Assert.Null(step.OptOuts);
        Assert.Equal(PreSendVerdict.Send, (await step.CheckAsync(Text("919960123456"))).Verdict);
        Assert.Equal(PreSendNoticeKind.NoOptOutList, Assert.Single(Notices(step)).Kind);
        Assert.False(Directory.Exists(_folder));

        // A proxy's error page instead of the receiver's answer is an outage too, not the end of the run.
        using var proxy = new RawHttpServer(_ => System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 19\r\nConnection: close\r\n\r\n<html>gateway</html"));
        using var behindProxy = Receiver(proxy.BaseUri);
        var proxied = new PreSendStep(Offline(), behindProxy, new PreSendOptions { Cache = new OptOutCache(_folder) });
        await proxied.StartAsync();
        Assert.Contains("not JSON", proxied.ReceiverProblem!.Message);
        Assert.Equal(PreSendNoticeKind.NoOptOutList, Assert.Single(Notices(proxied)).Kind);

        var strict = new PreSendStep(Offline(), down, new PreSendOptions { Cache = new OptOutCache(_folder), RequireOptOutList = true });
        var refused = await Assert.ThrowsAsync<OptOutListUnavailableException>(() => strict.StartAsync());
        Assert.Equal(uri, refused.Receiver);
        Assert.Contains("Nothing was sent", refused.Message);
    }

    [Fact]
    public async Task A_closed_window_refuses_or_falls_back_and_a_receiver_that_stops_answering_is_told_once()
    {
        string windows = $$"""{"windows":[{"customerNumber":"919960000001","lastInboundAt":"{{DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ss.fffZ}}","messageId":"wamid.L"}]}""";
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var server = CannedReceiver("""{"optOuts":[]}""", windows);
        using var receiver = Receiver(server.BaseUri);

        var plain = new PreSendStep(client, receiver);
        await plain.StartAsync();
        Assert.Equal(PreSendVerdict.Send, (await plain.CheckAsync(Text("919960000001"))).Verdict);
        var closed = await plain.CheckAsync(Text("919960000002"));
        Assert.Equal(PreSendVerdict.Refuse, closed.Verdict);
        Assert.IsType<SobotWindowClosedException>(closed.Error);
        Assert.DoesNotContain("Send-Sobot", closed.Error!.Message);
        // Templates go outside the window: not asked about.
        int asked = server.Requests.Count;
        Assert.Equal(PreSendVerdict.Send, (await plain.CheckAsync(new TemplateMessageRequest("919960000003", "x", "hello_world", "en", null))).Verdict);
        Assert.Equal(asked, server.Requests.Count);

        var fallback = new PreSendStep(client, receiver, new PreSendOptions { FallbackTemplate = "order_update" });
        await fallback.StartAsync();
        var fell = await fallback.CheckAsync(Text("919960000002"), ["8654334"]);
        Assert.True(fell.FellBack);
        var template = Assert.IsType<TemplateMessageRequest>(fell.Request);
        Assert.Equal(("order_update", "919960000002"), (template.TemplateName, template.CustomerNumber));
        var mismatch = await fallback.CheckAsync(Text("919960000004"));   // order_update needs one body value
        Assert.Equal(PreSendVerdict.Refuse, mismatch.Verdict);
        Assert.IsType<SobotTemplateException>(mismatch.Error);

        server.Dispose();
        Assert.Equal(PreSendVerdict.Send, (await plain.CheckAsync(Text("919960000005"))).Verdict);
        Assert.Equal(PreSendVerdict.Send, (await plain.CheckAsync(Text("919960000006"))).Verdict);
        var told = Assert.Single(Notices(plain));
        Assert.Equal(PreSendNoticeKind.WindowUnchecked, told.Kind);
    }

    [Fact]
    public async Task The_bulk_sender_counts_and_journals_what_the_step_turns_away()
    {
        using var server = CannedReceiver(OneOptOut);
        using var receiver = Receiver(server.BaseUri);
        var step = new PreSendStep(Offline(), receiver);
        await step.StartAsync();
        string journalPath = Path.Combine(Directory.CreateDirectory(_folder).FullName, "run.journal");
        using (var journal = SendJournal.Open(journalPath))
        using (var sender = new BulkSender(Offline(), new BulkSendOptions { PreSend = step, Journal = journal }, CancellationToken.None))
        {
            var skipped = await sender.ScreenAsync(Text("919960123456"), "row 1", "Phone=919960123456\n");
            var refused = await sender.ScreenAsync(Text("919960123457"), "row 2", "Phone=919960123457\n");
            Assert.False(skipped.Admitted);
            Assert.False(refused.Admitted);
            Assert.Equal((2, 1, 1), (sender.Total, sender.Skipped, sender.Failed));
            Assert.True(sender.TryTake(out var first));
            Assert.Equal((BulkOutcomeKind.Skipped, BulkSkipReason.OptedOut), (first.Kind, first.SkipReason));
            Assert.True(sender.TryTake(out var second));
            Assert.IsType<SobotWindowClosedException>(second.Error);
            sender.FlushJournal();
        }
        var summary = SendSummary.FromJournal(journalPath, SendJournal.Read(journalPath));
        Assert.Equal((1, 1), (summary.Skipped, summary.Failed));
    }
}
