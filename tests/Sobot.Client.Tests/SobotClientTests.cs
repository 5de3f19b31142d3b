using Sobot.Client.Paging;
using System.Net.Http.Json;
using System.Collections.Concurrent;
using Sobot.Client.Models.Requests;
using Sobot.Emulator;

namespace Sobot.Client.Tests;

/// <summary>The client against an emulator hosted in this process.</summary>
public class SobotClientTests
{
    private const string Number = "919970585556";

    [Fact]
    public async Task Sends_a_template_and_returns_the_wamid()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var response = await client.SendMessageAsync(
            new TemplateMessageRequest(Number, "Asha", "payment_status", "en", [TemplateComponent.Body(["8654334", "Approved"])]));
        Assert.StartsWith("wamid.", response.Data!.Id);
        Assert.Equal("submitted", response.Data.Status);
        var sent = Assert.Single(await emulator.MessagesAsync());
        Assert.Equal(response.Data.Id, sent!["id"]!.GetValue<string>());
        Assert.Equal("8654334", sent["body"]!["params"]![0]!["parameters"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_free_form_message_outside_the_window_fails_with_sobots_message()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var ex = await Assert.ThrowsAsync<SobotApiException>(() => client.SendMessageAsync(new TextMessageRequest(Number, "Asha", "hi")));
        Assert.Equal(SobotErrorKind.BadRequest, ex.Kind);
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal(400, ex.SobotCode);
        Assert.Contains("24 hours", ex.SobotMessage);
        Assert.False(ex.OutcomeUnknown);

        await emulator.OpenWindowAsync(Number);
        var ok = await client.SendMessageAsync(new TextMessageRequest(Number, "Asha", "hi"));
        Assert.StartsWith("wamid.", ok.Data!.Id);
    }

    [Fact]
    public async Task Invalid_input_is_refused_before_anything_is_sent()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        await Assert.ThrowsAsync<SobotValidationException>(() => client.SendMessageAsync(new TextMessageRequest(Number, "A", new string('x', 4097))));
        Assert.Empty(await emulator.MessagesAsync());
    }

    [Fact]
    public async Task Wrong_keys_are_unauthorized_and_never_echoed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var events = new ConcurrentQueue<SobotTraceEvent>();
        using var client = emulator.Client(accessKey: "wrong-access-key-1234", secretKey: "wrong-secret-key-5678", trace: events.Enqueue);
        var ex = await Assert.ThrowsAsync<SobotApiException>(() => client.VerifyCredentialsAsync());
        Assert.Equal(SobotErrorKind.Unauthorized, ex.Kind);
        Assert.Equal(401, ex.StatusCode);
        var everything = ex.ToString() + string.Join("\n", events.Select(e => e.Summary + e.RequestBody + e.ResponseBody));
        Assert.DoesNotContain("wrong-access-key-1234", everything);
        Assert.DoesNotContain("wrong-secret-key-5678", everything);
        Assert.Equal("****1234", client.Options.Credential.MaskedAccessKey);
        Assert.DoesNotContain("wrong-access-key", client.Options.Credential.ToString());
    }

    [Fact]
    public async Task Trace_reports_each_exchange_without_the_keys()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var events = new ConcurrentQueue<SobotTraceEvent>();
        using var client = emulator.Client(trace: events.Enqueue);
        var r = await client.SendMessageAsync(new TemplateMessageRequest(Number, "Asha", "hello_world", "en", null));
        var e = Assert.Single(events);
        Assert.Equal("POST", e.Method);
        Assert.Equal("/message/", e.Path);
        Assert.Equal(200, e.StatusCode);
        Assert.Equal(r.Data!.Id, e.MessageId);
        Assert.Contains("hello_world", e.RequestBody);
        Assert.DoesNotContain(EmulatorOptions.DefaultSecretKey, e.Summary + e.RequestBody + e.ResponseBody);
        Assert.DoesNotContain(EmulatorOptions.DefaultAccessKey, e.Summary + e.RequestBody + e.ResponseBody);
    }

    [Fact]
    public async Task Ambient_trace_listener_sees_only_its_own_calls()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var mine = new ConcurrentQueue<SobotTraceEvent>();
        Task call;
        using (SobotTrace.Listen(mine.Enqueue)) call = client.VerifyCredentialsAsync();
        var other = client.GetCustomerPageAsync(1);
        await Task.WhenAll(call, other);
        var e = Assert.Single(mine);
        Assert.StartsWith("/api/template/", e.Path);
    }

    [Fact]
    public async Task A_server_error_on_send_is_an_unknown_outcome()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.FailRate = 1);
        using var client = emulator.Client();
        var ex = await Assert.ThrowsAsync<SobotApiException>(() => client.SendMessageAsync(new TemplateMessageRequest(Number, "A", "hello_world", "en", null)));
        Assert.Equal(SobotErrorKind.ServerError, ex.Kind);
        Assert.True(ex.OutcomeUnknown);
        Assert.Contains("may or may not", ex.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transport_error()
    {
        using var client = new SobotClient(new SobotClientOptions(new SobotCredential("k", TestEmulator.Secure("s"))) { BaseUri = new Uri("http://127.0.0.1:1/"), MaximumRetryCount = 2 });
        var ex = await Assert.ThrowsAsync<SobotApiException>(() => client.GetTemplatePageAsync(null, 1));
        Assert.Equal(SobotErrorKind.Transport, ex.Kind);
        Assert.Equal(0, ex.StatusCode);
        // Refused before anything was sent: certain, so retried, and the error says nothing went out.
        Assert.True(ex.NotSent);
        Assert.False(ex.OutcomeUnknown);
        Assert.Equal(3, ex.Attempts);
        Assert.Contains("nothing was sent", ex.Message);
    }

    [Fact]
    public async Task A_sent_message_is_stamped_when_its_request_went_out_not_when_sobot_answered()
    {
        // Sobot answers a second after the request: a customer's reply may come in meanwhile, and must count from
        // the send (Wait-SobotReply drops what was stored before the question was sent).
        await using var emulator = await TestEmulator.StartAsync(o => { o.LatencyMs = 1000; o.NoWindow = true; });
        using var client = emulator.Client();
        var before = DateTimeOffset.Now;
        var response = await client.SendMessageAsync(new TextMessageRequest(Number, "Asha", "Restart web01?"));
        var after = DateTimeOffset.Now;
        Assert.InRange(response.SentAt, before, after - TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Rate_limit_answers_carry_retry_after()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.RateLimit = 1);
        using var client = new SobotClient(new SobotClientOptions(new SobotCredential(EmulatorOptions.DefaultAccessKey, TestEmulator.Secure(EmulatorOptions.DefaultSecretKey)))
            { BaseUri = emulator.Host.BaseUri, MaximumRetryCount = 0 });
        // Bursts of calls until one is over the limit of 1 a second: however slow the machine, a burst arrives together.
        SobotApiException? ex = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (ex is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "No call was refused for the rate limit within 60 s.");
            var burst = Enumerable.Range(0, 4).Select(_ => client.GetTemplatePageAsync(null, 1)).ToArray();
            try { await Task.WhenAll(burst); }
            catch (SobotApiException) { }
            ex = burst.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).OfType<SobotApiException>().FirstOrDefault();
        }
        Assert.Equal(SobotErrorKind.RateLimited, ex.Kind);
        Assert.True(ex.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
    }

    [Fact]
    public async Task Enumerates_every_page_of_a_list()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        // One customer through the API itself, the rest straight into the emulator's state.
        var req = new HttpRequestMessage(HttpMethod.Post, "api/customer") { Content = JsonContent.Create(new { mobile = "919970099999", name = "Keyed" }) };
        req.Headers.Add("x-api-key", EmulatorOptions.DefaultAccessKey);
        req.Headers.Add("x-api-secret", EmulatorOptions.DefaultSecretKey);
        (await emulator.Control.SendAsync(req)).EnsureSuccessStatusCode();
        for (int i = 0; i < 45; i++)
            emulator.State.TryAddCustomer(new CustomerItem { Mobile = "9199711" + (10000 + i), Name = "Bulk " + i });

        var all = await Pager.ToListAsync(client.EnumerateCustomersAsync());
        Assert.Equal(46, all.Count);
        Assert.Equal(46, all.Select(c => c.Mobile).Distinct().Count());
    }

    [Fact]
    public async Task Template_catalog_finds_language_and_checks_variables()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var t = await client.Templates.ResolveAsync("payment_status", null);
        Assert.Equal("en", t.LangCode);
        Templates.TemplateCatalog.CheckBodyParameters(t, 2);
        var mismatch = Assert.Throws<SobotTemplateException>(() => Templates.TemplateCatalog.CheckBodyParameters(t, 1));
        Assert.Equal(SobotTemplateProblem.ParameterCountMismatch, mismatch.Problem);
        Assert.Contains("2 body variables but 1 body parameter was given", mismatch.Message);
        Assert.Equal(["BodyParameters"], mismatch.Values);

        var ambiguous = await Assert.ThrowsAsync<SobotTemplateException>(() => client.Templates.ResolveAsync("festival_greeting", null));
        Assert.Equal(SobotTemplateProblem.AmbiguousLanguage, ambiguous.Problem);
        Assert.Contains("en, hi", ambiguous.Message);
        Assert.Equal(["Language"], ambiguous.Values);
        Assert.Equal("hi", (await client.Templates.ResolveAsync("festival_greeting", "hi")).LangCode);

        Assert.Equal(SobotTemplateProblem.NotFound, (await Assert.ThrowsAsync<SobotTemplateException>(() => client.Templates.ResolveAsync("no_such_template", null))).Problem);
        Assert.Equal(SobotTemplateProblem.NotApproved, (await Assert.ThrowsAsync<SobotTemplateException>(() => client.Templates.ResolveAsync("spring_sale", null))).Problem);
    }

    [Fact]
    public async Task Template_catalog_refreshes_once_on_a_miss()
    {
        await using var emulator = await TestEmulator.StartAsync();
        int listings = 0;
        using var client = emulator.Client(trace: e => { if (e.Path.StartsWith("/api/template/")) Interlocked.Increment(ref listings); });
        await client.Templates.ResolveAsync("hello_world", null);
        Assert.Equal(1, listings);
        for (int i = 0; i < 5; i++) await Assert.ThrowsAsync<SobotTemplateException>(() => client.Templates.ResolveAsync("missing", null));
        Assert.Equal(1, listings); // the list was read less than MinimumRefreshInterval ago: no refetch per row
        client.Templates.Invalidate();
        await client.Templates.ResolveAsync("hello_world", null);
        Assert.Equal(2, listings);
    }
}
