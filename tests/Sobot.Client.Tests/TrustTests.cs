using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using Sobot.Client.Bulk;
using Sobot.Client.Http;
using Sobot.Client.Models.Requests;
using Sobot.Emulator;

namespace Sobot.Client.Tests;

/// <summary>Keys stay on the configured host; what cannot be known is reported as unknown, never as failed or sent.</summary>
public class KeysStayHomeTests
{
    private const string Ok = "{\"data\":{\"id\":\"wamid.x\",\"status\":\"submitted\"},\"message\":\"Message sent successfully.\",\"code\":200}";

    private static SobotClient ClientFor(Uri baseUri, TimeSpan? timeout = null, int retries = 0) =>
        new(new SobotClientOptions(new SobotCredential("access-key-1", TestEmulator.Secure("secret+key/1"))) { BaseUri = baseUri, MaximumRetryCount = retries, Timeout = timeout ?? TimeSpan.FromSeconds(10) });

    private static TextMessageRequest Text() => new("919970585556", "Asha", "hi");

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_is_never_followed_so_the_keys_never_reach_another_host(int status)
    {
        using var elsewhere = new RawHttpServer(_ => RawHttpServer.Response(200, Ok));
        using var redirector = new RawHttpServer(_ => RawHttpServer.Response(status, "", $"Location: {elsewhere.BaseUri}message/"));
        using var client = ClientFor(redirector.BaseUri);
        var ex = await Assert.ThrowsAsync<SobotApiException>(() => client.SendMessageAsync(Text()));
        Assert.Equal(SobotErrorKind.Redirected, ex.Kind);
        Assert.Contains(elsewhere.BaseUri.Authority, ex.Message);
        Assert.True(ex.NotProcessed);
        Assert.Empty(elsewhere.Requests);
        Assert.Single(redirector.Requests);
    }

    [Theory]
    [InlineData("<html>Accepted</html>")]
    [InlineData("{\"message\":\"ok\",\"code\":200}")]
    [InlineData("")]
    public async Task A_200_that_is_not_JSON_or_has_no_message_id_is_an_unknown_outcome(string body)
    {
        using var server = new RawHttpServer(_ => RawHttpServer.Response(200, body));
        using var client = ClientFor(server.BaseUri);
        var ex = await Assert.ThrowsAsync<SobotApiException>(() => client.SendMessageAsync(Text()));
        Assert.True(ex.OutcomeUnknown);
        Assert.False(ex.Retryable);

        string path = Path.Combine(Path.GetTempPath(), "sobot-unknown-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var journal = SendJournal.Open(path))
            using (var sender = new BulkSender(client, new BulkSendOptions { Journal = journal }, CancellationToken.None))
            {
                sender.Add(Text(), null);
                while (sender.Outstanding > 0 && sender.TryTake(out _) == false) sender.Wait(TimeSpan.FromMilliseconds(20));
                Assert.Equal(1, sender.Unknown);
                Assert.Equal(0, sender.Failed);
            }
            Assert.Equal(JournalState.Unknown, Assert.Single(SendJournal.Read(path)).State);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task A_response_body_over_the_limit_is_an_error_not_gigabytes_of_memory()
    {
        string huge = "{\"pad\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";
        var response = RawHttpServer.Response(200, huge);
        using var server = new RawHttpServer(_ => response);
        using var client = ClientFor(server.BaseUri);
        var ex = await Assert.ThrowsAsync<SobotApiException>(() => client.SendMessageAsync(Text()));
        Assert.Contains("over 4 MB", ex.Message);
        Assert.True(ex.OutcomeUnknown);
    }

    [Theory]
    [InlineData("\\/127.0.0.2:9/x")]
    [InlineData("//127.0.0.2:9/x")]
    [InlineData("///127.0.0.2:9/x")]
    [InlineData("http://127.0.0.2:9/x")]
    [InlineData("api\\..\\..\\x")]
    [InlineData("api/%0d%0aX-Evil:1")]
    [InlineData("../../outside")]
    public void Raw_calls_accept_only_paths_on_the_base_uri(string path)
    {
        using var client = new SobotClient(new SobotClientOptions(new SobotCredential("a", TestEmulator.Secure("b"))) { BaseUri = new Uri("https://proxy.example/sobot/") });
        if (path.Contains("%0d")) { Assert.Equal("api/%0d%0aX-Evil:1", client.OnBaseUri(path)); return; } // escaped, so it stays in the path
        var ex = Assert.Throws<SobotValidationException>(() => client.OnBaseUri(path));
        Assert.Contains("base URI", ex.Message);
    }

    [Fact]
    public void Raw_calls_keep_ordinary_paths()
    {
        using var client = new SobotClient(new SobotClientOptions(new SobotCredential("a", TestEmulator.Secure("b"))) { BaseUri = new Uri("https://proxy.example/sobot/") });
        Assert.Equal("api/template/?status=1", client.OnBaseUri("/api/template/?status=1"));
        Assert.Equal("message/", client.OnBaseUri("message/"));
    }

    [Fact]
    public async Task A_raw_call_to_another_host_sends_nothing_anywhere()
    {
        using var victim = new RawHttpServer(_ => RawHttpServer.Response(200, "{}"));
        using var home = new RawHttpServer(_ => RawHttpServer.Response(200, "{}"));
        using var client = ClientFor(home.BaseUri);
        await Assert.ThrowsAsync<SobotValidationException>(() => client.SendRawAsync(HttpMethod.Get, "\\/" + victim.BaseUri.Authority + "/x", null));
        Assert.Empty(victim.Requests);
        Assert.Empty(home.Requests);
    }

    [Theory]
    [InlineData("abc\r\nX-Evil: 1")]
    [InlineData("ab\tc")]
    [InlineData("ab c")]
    [InlineData("abc\u0000")]
    public void Keys_with_control_characters_or_inner_whitespace_are_refused(string key)
    {
        Assert.Throws<ArgumentException>(() => new SobotCredential(key, TestEmulator.Secure("secret")));
        Assert.Throws<ArgumentException>(() => new SobotCredential("access", TestEmulator.Secure(key)));
    }

    [Fact]
    public void Surrounding_whitespace_is_trimmed_and_reported_without_the_key()
    {
        var credential = new SobotCredential(" access-key\r\n", TestEmulator.Secure("secret-key\n"));
        Assert.Equal("access-key", credential.AccessKey);
        Assert.Equal("secret-key", credential.RevealSecret());
        Assert.Equal(2, credential.Notices.Count);
        Assert.All(credential.Notices, n => { Assert.Contains("trimmed", n); Assert.DoesNotContain("secret-key", n); Assert.DoesNotContain("access-key", n); });
    }

    [Theory]
    [InlineData("{\"echo\":\"secret+key/1\"}")]
    [InlineData("{\"echo\":\"secret\\u002Bkey/1\"}")]
    [InlineData("{\"echo\":\"secret\\u002bkey\\/1\"}")]
    [InlineData("{\"echo\":\"secret\\u002Bkey\\u002F1\"}")]
    [InlineData("key=secret%2Bkey%2F1")]
    [InlineData("key=secret%2bkey%2f1")]
    [InlineData("{\"echo\":\"access-key-1\"}")]
    public void Redaction_covers_the_escaped_forms_of_both_keys(string echoed)
    {
        var credential = new SobotCredential("access-key-1", TestEmulator.Secure("secret+key/1"));
        string redacted = credential.Redact(echoed);
        Assert.Contains("[redacted]", redacted);
        foreach (var fragment in new[] { "secret", "access-key" }) Assert.DoesNotContain(fragment, redacted);
    }

    [Fact]
    public async Task The_key_check_retries_what_is_safe_to_retry()
    {
        int calls = 0;
        using var server = new RawHttpServer(_ => Interlocked.Increment(ref calls) <= 2
            ? RawHttpServer.Response(503, "{\"message\":\"maintenance\",\"code\":503}", "Retry-After: 0")
            : RawHttpServer.Response(200, "{\"count\":0,\"next\":null,\"previous\":null,\"code\":200,\"data\":[]}"));
        using var client = ClientFor(server.BaseUri, retries: 5);
        await client.VerifyCredentialsAsync();
        Assert.Equal(3, calls);
    }

    /// <summary>
    /// An hour's Retry-After, honoured in full: a client that waited it out would hang, so the generous deadline on the
    /// call is a check for a hang, not for speed.
    /// </summary>
    private static SobotClient ClientHonouringAnHour(Uri baseUri, TimeSpan timeout) =>
        new(new SobotClientOptions(new SobotCredential("access-key-1", TestEmulator.Secure("secret+key/1")))
        {
            BaseUri = baseUri, MaximumRetryCount = 5, Timeout = timeout, MaximumRetryAfter = TimeSpan.FromHours(1),
        });

    private const string SlowDownForAnHour = "Retry-After: 3600";

    private static async Task<T> Ended<T>(Task<T> call)
    {
        Assert.True(await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(60))) == call, "the call was still waiting after 60 s");
        return await call;
    }

    [Fact]
    public async Task The_key_check_gives_up_without_waiting_when_retry_after_would_pass_its_timeout()
    {
        using var server = new RawHttpServer(_ => RawHttpServer.Response(429, "{\"message\":\"slow down\",\"code\":429}", SlowDownForAnHour));
        using var client = ClientHonouringAnHour(server.BaseUri, timeout: TimeSpan.FromSeconds(30));
        var ex = await Ended(Assert.ThrowsAsync<SobotApiException>(() => client.VerifyCredentialsAsync()));
        // Given up at the first answer, before any wait: one request, and the reason names the timeout.
        Assert.Contains("Gave up after 1 attempt(s): the next retry would pass the 30 s timeout.", ex.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task The_key_check_stops_waiting_for_retry_after_when_cancelled()
    {
        using var server = new RawHttpServer(_ => RawHttpServer.Response(429, "{\"message\":\"slow down\",\"code\":429}", SlowDownForAnHour));
        using var client = ClientHonouringAnHour(server.BaseUri, timeout: TimeSpan.FromHours(2));
        using var cancel = new CancellationTokenSource();
        var check = client.VerifyCredentialsAsync(cancel.Token);
        // Cancelled once the first 429 is in: the client is then in its hour's wait (or about to be).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (server.Requests.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the key check never reached the server");
            await Task.Delay(10);
        }
        cancel.Cancel();
        await Ended(Assert.ThrowsAnyAsync<OperationCanceledException>(() => check));
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Retry_after_is_honoured_up_to_the_documented_maximum()
    {
        var ex = new SobotApiException(SobotErrorKind.RateLimited, 429, 429, null, "POST", "/message/", "x") { RetryAfter = TimeSpan.FromMinutes(30) };
        Assert.Equal(TimeSpan.FromSeconds(60), Sobot.Client.Http.SobotTransport.RetryDelay(ex, 1, new SobotClientOptions(new SobotCredential("a", TestEmulator.Secure("b"))).MaximumRetryAfter));
    }
}

public class JournalTrustTests
{
    private static string NewPath() => Path.Combine(Path.GetTempPath(), "sobot-journal-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_lock_is_on_the_journal_itself_and_no_marker_file_is_left()
    {
        string path = NewPath();
        try
        {
            using (SendJournal.Open(path))
            {
                var ex = Assert.Throws<JournalLockedException>(() => SendJournal.Open(path));
                Assert.Contains("in use by another run", ex.Message);
                Assert.False(File.Exists(path + ".lock"));
                // Readers are never blocked by a run.
                Assert.Empty(SendJournal.Read(path));
            }
            using (SendJournal.Open(path)) { }
            Assert.Equal(new[] { Path.GetFileName(path) }, Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").Select(Path.GetFileName));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_file_that_is_not_a_journal_has_its_own_error()
    {
        string path = NewPath();
        try
        {
            File.WriteAllText(path, "Name,Mobile\nAsha,919970585556\n");
            var ex = Assert.Throws<JournalUnusableException>(() => SendJournal.Open(path));
            Assert.Contains("not a SobotPS send journal", ex.Message);
            Assert.IsNotType<JournalLockedException>(ex);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_folder_that_cannot_be_written_has_its_own_error()
    {
        // Root bypasses file modes, so the test uses a kernel folder that refuses new files even to root.
        string path = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? @"C:\Windows\System32\config\sobot.journal" : "/sys/sobot.journal";
        var ex = Assert.Throws<JournalUnusableException>(() => SendJournal.Open(path));
        Assert.Contains("Cannot open the journal", ex.Message);
        Assert.DoesNotContain("in use", ex.Message);
    }

    [Fact]
    public void A_torn_last_line_is_repaired_before_appending_and_the_next_record_is_kept()
    {
        string path = NewPath();
        try
        {
            File.WriteAllText(path, JournalRecord.Header + "\n{\"k\":\"a#1\",\"s\":\"S\",\"n\":\"1\",\"id\":\"w\",\"t\":1}\n{\"k\":\"b#1\",\"s\":");
            using (var journal = SendJournal.Open(path))
            {
                Assert.Contains("cut short", journal.Repair);
                journal.RecordSent("c#1", "3", "w3");
            }
            var entries = SendJournal.Read(path);
            Assert.Equal(new[] { "a#1", "c#1" }, entries.Select(e => e.Key));
            Assert.EndsWith("\n", File.ReadAllText(path));
            using (var again = SendJournal.Open(path)) Assert.Null(again.Repair);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_whole_last_record_without_its_line_end_is_ended_not_dropped()
    {
        string path = NewPath();
        try
        {
            File.WriteAllText(path, JournalRecord.Header + "\n{\"k\":\"a#1\",\"s\":\"S\",\"n\":\"1\",\"id\":\"w\",\"t\":1}");
            using (var journal = SendJournal.Open(path))
            {
                Assert.Contains("ended", journal.Repair);
                journal.RecordSent("b#1", "2", "w2");
            }
            Assert.Equal(new[] { "a#1", "b#1" }, SendJournal.Read(path).Select(e => e.Key));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Reading_recovers_a_whole_record_glued_onto_a_torn_one()
    {
        string path = NewPath();
        try
        {
            // What an unrepaired append after a crash leaves: the fragment and the next record on one line.
            File.WriteAllText(path, JournalRecord.Header + "\n{\"k\":\"a#1\",\"s\":\"P\",\"n\":\"1\",\"t\":1}\n{\"k\":\"a#1\",\"s\":\"S\",\"n\"{\"k\":\"b#1\",\"s\":\"S\",\"n\":\"2\",\"id\":\"w2\",\"t\":2}\n");
            var entries = SendJournal.Read(path);
            Assert.Equal(new[] { "a#1", "b#1" }, entries.Select(e => e.Key));
            Assert.Equal(JournalState.Pending, entries[0].State);
            Assert.Equal(JournalState.Sent, entries[1].State);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task A_row_refused_once_and_sent_after_it_was_fixed_counts_once_as_sent()
    {
        string path = NewPath();
        try
        {
            using (var journal = SendJournal.Open(path)) journal.RecordRefused("row1#1", "9970585556", "not a valid number");
            var refused = Assert.Single(SendJournal.Read(path));
            Assert.True(refused.Refused);
            Assert.Equal(JournalState.Failed, refused.State);
            using (var journal = SendJournal.Open(path))
            {
                await journal.RecordPendingAsync("body#1", "919970585556", "row1#1");
                journal.RecordSent("body#1", "919970585556", "wamid.1");
            }
            var summary = SendSummary.FromJournal(path, SendJournal.Read(path));
            Assert.Equal(1, summary.Total);
            Assert.Equal(1, summary.Sent);
            Assert.Equal(0, summary.Failed);
        }
        finally { File.Delete(path); }
    }
}

public class BulkAccountingTests
{
    private static IEnumerable<SendMessageRequest> Rows(int count, int first = 0) =>
        Enumerable.Range(first, count).Select(i => new TemplateMessageRequest("9199700" + i.ToString("00000"), "C" + i, "order_update", "en", [TemplateComponent.Body([i.ToString()])]));

    private static List<BulkOutcome> Settle(BulkSender sender)
    {
        var outcomes = new List<BulkOutcome>();
        var clock = Stopwatch.StartNew();
        while (sender.Outstanding > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{sender.Outstanding} rows still had no outcome after 60 s");
            sender.Wait(TimeSpan.FromMilliseconds(20));
            while (sender.TryTake(out var o)) outcomes.Add(o);
        }
        return outcomes;
    }

    private static void AssertIdentity(BulkSender sender, long total)
    {
        Assert.Equal(total, sender.Total);
        Assert.Equal(sender.Total, sender.Sent + sender.Failed + sender.Skipped + sender.Unknown);
    }

    [Fact]
    public async Task Refused_rows_are_failed_rows_in_the_counts_and_the_journal()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.NoWindow = true);
        using var client = emulator.Client();
        string path = Path.Combine(Path.GetTempPath(), "sobot-refused-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var journal = SendJournal.Open(path))
            using (var sender = new BulkSender(client, new BulkSendOptions { Journal = journal }, CancellationToken.None))
            {
                foreach (var (r, i) in Rows(3).Select((r, i) => (r, i))) sender.Add(r, null, "row" + i);
                sender.Refuse("9970585556", null, new SobotValidationException("customer_number", "not valid"), "row-bad");
                Settle(sender);
                sender.FlushJournal();
                AssertIdentity(sender, 4);
                Assert.Equal(1, sender.Failed);
            }
            var summary = SendSummary.FromJournal(path, SendJournal.Read(path));
            Assert.Equal(4, summary.Total);
            Assert.Equal(3, summary.Sent);
            Assert.Equal(1, summary.Failed);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task A_request_stopped_before_its_turn_at_the_pacer_is_not_sent_and_says_so()
    {
        // The pacer's wait hands back a cancelled task, never a throw, so a stop that comes before the wait is begun
        // still reads as "not sent" (a throw there once made such a row unknown, never to be sent again).
        await using var emulator = await TestEmulator.StartAsync(o => o.NoWindow = true);
        using var client = emulator.Client();
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        string body = SobotJson.Serialize(Rows(1).Single());
        await Assert.ThrowsAsync<StoppedBeforeSendingException>(() => client.SendMessageBodyAsync(body, 0, stopped.Token, CancellationToken.None));
        Assert.True(client.Pacer.WaitAsync(stopped.Token).IsCanceled);
        Assert.True(new AdaptiveConcurrency(client.Pacer, 1).WaitAsync(stopped.Token).IsCanceled);
        Assert.Empty(await emulator.MessagesAsync());
    }

    [Fact]
    public async Task Rows_stopped_while_they_wait_at_the_pacer_are_not_sent_and_a_rerun_sends_them()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.NoWindow = true);
        // One message in 10 s: the first goes at once, the other five wait their turn at the pacer (at 1 a second, a
        // busy machine late by 5 s to stop the run let them all go).
        using var client = new SobotClient(new SobotClientOptions(new SobotCredential(EmulatorOptions.DefaultAccessKey, TestEmulator.Secure(EmulatorOptions.DefaultSecretKey)))
            { BaseUri = emulator.Host.BaseUri, MaxMessagesPerSecond = 0.1 });
        string path = Path.Combine(Path.GetTempPath(), "sobot-pacer-stop-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var journal = SendJournal.Open(path))
            using (var cancel = new CancellationTokenSource())
            // A generous grace: the first row, on the wire at the stop, is answered rather than cut off as unknown.
            using (var sender = new BulkSender(client, new BulkSendOptions { Journal = journal, StopGrace = TimeSpan.FromSeconds(60) }, cancel.Token))
            {
                foreach (var (r, i) in Rows(6).Select((r, i) => (r, i))) sender.Add(r, null, "row" + i);
                var deadline = Stopwatch.StartNew();
                while ((await emulator.MessagesAsync()).Count < 1)
                {
                    Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the first row was not sent in 60 s");
                    await Task.Delay(10);
                }
                cancel.Cancel();
                Settle(sender);
                sender.FlushJournal();
                AssertIdentity(sender, 6);
                Assert.Equal(0, sender.Unknown);
                Assert.Equal(6, sender.Sent + sender.Failed);
                Assert.True(sender.Failed >= 1, "every row went out before the stop");
            }
            int sentBefore = (await emulator.MessagesAsync()).Count;
            Assert.All(SendJournal.Read(path).Where(e => e.State != JournalState.Sent), e => Assert.True(e.State == JournalState.Failed && e.Retryable, $"{e.Key}: {e.State}"));
            // The rerun on a client without the cap, so it does not take a minute.
            using (var rerunClient = emulator.Client())
            using (var journal = SendJournal.Open(path))
            using (var rerun = new BulkSender(rerunClient, new BulkSendOptions { Journal = journal }, CancellationToken.None))
            {
                foreach (var (r, i) in Rows(6).Select((r, i) => (r, i))) rerun.Add(r, null, "row" + i);
                Settle(rerun);
                Assert.Equal(6 - sentBefore, rerun.Sent);
            }
            Assert.Equal(6, (await emulator.MessagesAsync()).Count);
        }
        finally { File.Delete(path); File.Delete(path + ".lock"); }
    }

    [Fact]
    public async Task Duplicates_are_counted_and_sent_once_on_request()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.NoWindow = true);
        using var client = emulator.Client();
        using var sender = new BulkSender(client, new BulkSendOptions { SkipDuplicates = true }, CancellationToken.None);
        foreach (var r in Rows(3).Concat(Rows(2))) sender.Add(r, null);
        var outcomes = Settle(sender);
        AssertIdentity(sender, 5);
        Assert.Equal(2, sender.Duplicates);
        Assert.Equal(2, outcomes.Count(o => o.SkipReason == BulkSkipReason.Duplicate));
        Assert.Equal(3, (await emulator.MessagesAsync()).Count);
    }

    [Fact]
    public async Task Stopping_gives_requests_on_the_wire_a_grace_and_a_rerun_sends_exactly_the_rest()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.NoWindow = true);
        using var client = emulator.Client();
        var gate = new GatedSends(passFirst: 0);
        using var gatedClient = emulator.Client(handler: gate);
        string path = Path.Combine(Path.GetTempPath(), "sobot-stop-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var journal = SendJournal.Open(path))
            {
                using var cancel = new CancellationTokenSource();
                // A grace far longer than the held requests need once let go: the test is about who gets it, not how long it is.
                var sender = new BulkSender(gatedClient, new BulkSendOptions { Journal = journal, ThrottleLimit = 4, StopGrace = TimeSpan.FromSeconds(60) }, cancel.Token);
                foreach (var r in Rows(12)) sender.Add(r, null);
                // Four sends are on the wire (the throttle's limit) and held there: no fifth can start before one answers.
                await gate.Until(4);
                cancel.Cancel();              // Ctrl+C with four requests on the wire
                gate.Open();
                sender.Dispose();             // waits (bounded) for them
                var outcomes = Settle(sender);
                AssertIdentity(sender, 12);
                Assert.Equal(4, sender.Sent);
                Assert.Equal(0, sender.Unknown);
                Assert.Equal(8, sender.Failed);
                Assert.All(outcomes.Where(o => o.Kind == BulkOutcomeKind.Failed), o => Assert.IsType<RowNotSentException>(o.Error));
            }
            Assert.DoesNotContain(SendJournal.Read(path), e => e.State == JournalState.Pending);
            using (var journal = SendJournal.Open(path))
            using (var rerun = new BulkSender(client, new BulkSendOptions { Journal = journal, ThrottleLimit = 4 }, CancellationToken.None))
            {
                foreach (var r in Rows(12)) rerun.Add(r, null);
                Settle(rerun);
                Assert.Equal(8, rerun.Sent);
                Assert.Equal(4, rerun.Skipped);
            }
            var bodies = (await emulator.MessagesAsync()).Select(m => m!["customer_number"]!.GetValue<string>()).ToList();
            Assert.Equal(12, bodies.Count);
            Assert.Equal(12, bodies.Distinct().Count());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Keys_rejected_mid_run_leave_every_unsent_row_retryable_and_a_rerun_sends_exactly_those()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.NoWindow = true);
        string path = Path.Combine(Path.GetTempPath(), "sobot-401-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The first four sends go through; the next ones wait at the gate until the keys have changed.
            var gate = new GatedSends(passFirst: 4);
            using (var client = emulator.Client(handler: gate))
            using (var journal = SendJournal.Open(path))
            // A generous grace: the send still on the wire at the stop is answered (401), not cut off as unknown, however busy the machine.
            using (var sender = new BulkSender(client, new BulkSendOptions { Journal = journal, ThrottleLimit = 2, StopGrace = TimeSpan.FromSeconds(60) }, CancellationToken.None))
            {
                foreach (var r in Rows(20)) sender.Add(r, null);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (sender.Sent < 4)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"{sender.Sent} rows sent after 60 s");
                    sender.Wait(TimeSpan.FromMilliseconds(20));
                }
                (await emulator.Control.PostAsJsonAsync("_emulator/keys", new { access_key = "new-access", secret_key = "new-secret" })).EnsureSuccessStatusCode();
                gate.Open();
                Settle(sender);
                AssertIdentity(sender, 20);
                Assert.IsType<SobotApiException>(sender.Fatal);
                Assert.Equal(0, sender.Unknown);
                Assert.Equal((4L, 16L), (sender.Sent, sender.Failed));
            }
            Assert.All(SendJournal.Read(path).Where(e => e.State == JournalState.Failed), e => Assert.True(e.Retryable));
            using (var client = emulator.Client(accessKey: "new-access", secretKey: "new-secret"))
            using (var journal = SendJournal.Open(path))
            using (var rerun = new BulkSender(client, new BulkSendOptions { Journal = journal, ThrottleLimit = 2 }, CancellationToken.None))
            {
                foreach (var r in Rows(20)) rerun.Add(r, null);
                Settle(rerun);
                Assert.Equal(20, rerun.Sent + rerun.Skipped);
            }
            var numbers = (await emulator.MessagesAsync()).Select(m => m!["customer_number"]!.GetValue<string>()).ToList();
            Assert.Equal(20, numbers.Count);
            Assert.Equal(20, numbers.Distinct().Count());
        }
        finally { File.Delete(path); }
    }

    /// <summary>The journal's disk fails after a request went out: the row is not failed, and the run stops with the journal's error.</summary>
    [Fact]
    public async Task A_journal_that_fails_after_the_send_stops_the_run_and_never_leads_to_a_double()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.NoWindow = true);
        string path = Path.Combine(Path.GetTempPath(), "sobot-diskfull-" + Guid.NewGuid().ToString("N"));
        var disk = new FailingStreamSwitch();
        try
        {
            var handler = new FailWhenSentHandler(disk) { InnerHandler = new HttpClientHandler() };
            using (var client = new SobotClient(new SobotClientOptions(new SobotCredential(EmulatorOptions.DefaultAccessKey, TestEmulator.Secure(EmulatorOptions.DefaultSecretKey))) { BaseUri = emulator.Host.BaseUri, Handler = handler }))
            using (var journal = SendJournal.Open(path, s => new FailingStream(s, disk)))
            using (var sender = new BulkSender(client, new BulkSendOptions { Journal = journal }, CancellationToken.None))
            {
                sender.Add(Rows(1).Single(), null);
                var outcomes = Settle(sender);
                Assert.Equal(BulkOutcomeKind.Sent, Assert.Single(outcomes).Kind);
                sender.FlushJournal();
                Assert.IsType<JournalUnusableException>(sender.Fatal);
                Assert.Equal(0, sender.Failed);
            }
            Assert.Equal(JournalState.Pending, Assert.Single(SendJournal.Read(path)).State);
            using (var client = emulator.Client())
            using (var journal = SendJournal.Open(path))
            using (var rerun = new BulkSender(client, new BulkSendOptions { Journal = journal }, CancellationToken.None))
            {
                rerun.Add(Rows(1).Single(), null);
                Settle(rerun);
                Assert.Equal(1, rerun.Unknown);
            }
            Assert.Single(await emulator.MessagesAsync());
        }
        finally { File.Delete(path); }
    }

    private sealed class FailingStreamSwitch { public volatile bool Fail; }

    private sealed class FailWhenSentHandler(FailingStreamSwitch disk) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            disk.Fail = true;
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class FailingStream(Stream inner, FailingStreamSwitch disk) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { if (disk.Fail) throw new IOException("No space left on device"); inner.Flush(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (disk.Fail) throw new IOException("No space left on device");
            inner.Write(buffer, offset, count);
        }
    }
}

public class PacerFairnessTests
{
    /// <summary>
    /// Two runs share one account limit (a token bucket of 60/s). Started 10 s apart, the second starts when the
    /// first already holds the whole limit, so every one of its first requests is refused; started together, whoever
    /// is first takes the bucket. Both must end near an equal share; the second must not collapse to a crawl (found
    /// before: 50.5 vs 10.7). Simulated in virtual time, 1 ms steps, so the test is exact and fast; the real-time
    /// figures (two pwsh processes on the emulator) are scenario 4 of bench/Invoke-PacingBenchmark.ps1.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(0)]
    public void Two_runs_sharing_a_limit_converge_to_a_fair_share(double secondStart)
    {
        const double limit = 60, latency = 0.05;
        const int inFlightMax = 16;
        double now = 0, tokens = limit;
        var runs = new[] { new SimRun(() => now, 0), new SimRun(() => now, secondStart) };
        var accepted = new int[2];
        var early = new int[2];   // the first 30 s both run: a slow start shows here, not at the end
        for (int step = 0; step < 180_000; step++)
        {
            now = step / 1000.0;
            tokens = Math.Min(limit, tokens + limit / 1000.0);
            for (int i = 0; i < runs.Length; i++)
            {
                var run = runs[i];
                if (now < run.Start) continue;
                run.Complete(now);
                while (run.InFlight.Count < inFlightMax && run.Pacer.TryTake())
                {
                    bool ok = tokens >= 1;
                    if (ok) { tokens -= 1; if (now >= 150) accepted[i]++; if (now >= secondStart && now < secondStart + 30) early[i]++; }
                    run.InFlight.Add((now + latency, ok));
                }
            }
        }
        double ea = early[0] / 30.0, eb = early[1] / 30.0;
        Assert.True(Math.Min(ea, eb) >= limit * 0.4, $"first 30 s together: {ea:0.0} and {eb:0.0} msg/s");
        double a = accepted[0] / 30.0, b = accepted[1] / 30.0;
        Assert.True(Math.Min(a, b) / Math.Max(a, b) > 0.75, $"shares {a:0.0} and {b:0.0} msg/s");
        Assert.True(a + b > limit * 0.85, $"together {a + b:0.0} msg/s of {limit}");
    }

    private sealed class SimRun(Func<double> clock, double start)
    {
        public double Start { get; } = start;
        public AdaptivePacer Pacer { get; } = new(null, clock);
        public List<(double At, bool Accepted)> InFlight { get; } = new();

        public void Complete(double now)
        {
            for (int i = InFlight.Count - 1; i >= 0; i--)
            {
                if (InFlight[i].At > now) continue;
                if (InFlight[i].Accepted) Pacer.OnAccepted(); else Pacer.OnRateLimited();
                InFlight.RemoveAt(i);
            }
        }
    }
}

/// <summary>
/// The client's own handler behind a gate for message sends (other calls pass): the first <c>passFirst</c> sends go
/// through, later ones wait on the client's side of the wire, already past the point where a stop could hold them back,
/// until the test opens the gate. Lets a test stop or change things with a known number of sends on the wire.
/// </summary>
public sealed class GatedSends : DelegatingHandler
{
    private readonly TaskCompletionSource<bool> _open = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _passFirst;
    private int _arrived;

    public GatedSends(int passFirst) : base(SobotHttpHandler.Create(null, null, false)) => _passFirst = passFirst;

    /// <summary>Message sends that have reached the handler, held or not.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    public void Open() => _open.TrySetResult(true);

    /// <summary>Waits (60 s at most) until <paramref name="count"/> sends have reached the handler.</summary>
    public async Task Until(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Arrived < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Arrived} of {count} sends reached the wire in 60 s");
            await Task.Delay(10);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool send = request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/message/", StringComparison.Ordinal);
        if (send && Interlocked.Increment(ref _arrived) > _passFirst)
        {
            var aborted = new TaskCompletionSource<bool>();
            using (cancellationToken.Register(() => aborted.TrySetResult(true)))
                await Task.WhenAny(_open.Task, aborted.Task).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
