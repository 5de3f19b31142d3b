namespace Sobot.Emulator.Tests;

public class MessageEndpointTests
{
    private const string To = """ "customer_number":"919970585556","customer_name":"Asha" """;

    /// <summary>The contract's documented shapes of every message type.</summary>
    public static TheoryData<string> DocumentedFreeForm => new()
    {
        $$$"""{{{{To}}},"type":"text","message":"Hello *bold* _italic_ ~strike~ https://sobot.in"}""",
        $$$"""{{{{To}}},"type":"image","url":"https://example.com/a.jpg","mime_type":"image/jpeg","caption":"A photo"}""",
        $$$"""{{{{To}}},"type":"image","url":"https://example.com/s.webp","mime_type":"image/webp"}""",
        $$$"""{{{{To}}},"type":"sticker","url":"https://example.com/s.webp","mime_type":"image/webp"}""",
        $$$"""{{{{To}}},"type":"video","url":"https://example.com/v.mp4","mime_type":"video/mp4","caption":"Clip"}""",
        $$$"""{{{{To}}},"type":"document","url":"https://example.com/d.pdf","mime_type":"application/pdf","filename":"d.pdf","caption":"Invoice"}""",
        $$$"""{{{{To}}},"type":"location","latitude":"18.5204","longitude":"73.8567","location_name":"Pune","address":"MH, India"}""",
        $$$"""{{{{To}}},"type":"quick_reply","message":"Pick one","buttons":["Yes","No","Maybe"],"header":"Question","caption":"Footer"}""",
        $$$"""{{{{To}}},"type":"list","message":"Menu","header":"Our menu","caption":"Footer","list_obj":{"button":"See options","sections":[{"title":"one","rows":[{"id":"id_1","title":"First title","description":"optional"},{"id":"id_2","title":"Second"}]}]}}""",
        $$$"""{{{{To}}},"type":"product","message":"Look","caption":"f","product_list":{"product_retailer_id":"sbt_in_4_1"}}""",
        $$$"""{{{{To}}},"type":"product","message":"Look","header":"Cakes","caption":"f","product_list":{"sections":[{"title":"Cakes","product_items":[{"product_retailer_id":"sbt_in_4_1"},{"product_retailer_id":"sbt_in_4_2"}]}]}}""",
    };

    [Theory]
    [MemberData(nameof(DocumentedFreeForm))]
    public async Task Accepts_every_documented_message_type_inside_the_window(string body)
    {
        await using var e = await Emulator.StartAsync();
        await e.OpenWindowAsync("919970585556");
        var (status, json) = await e.PostAsync("message/", body);
        Assert.Equal(200, status);
        Assert.StartsWith("wamid.", json["data"]!["id"]!.GetValue<string>());
        Assert.Equal("submitted", json["data"]!["status"]!.GetValue<string>());
        Assert.Equal("Message sent successfully.", json["message"]!.GetValue<string>());
        Assert.Equal(200, json["code"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(DocumentedFreeForm))]
    public async Task Refuses_free_form_messages_outside_the_24_hour_window(string body)
    {
        await using var e = await Emulator.StartAsync();
        var (status, json) = await e.PostAsync("message/", body);
        Assert.Equal(400, status);
        Assert.Contains("24 hours", json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_window_switch_turns_the_rule_off()
    {
        await using var e = await Emulator.StartAsync(o => o.NoWindow = true);
        var (status, _) = await e.PostAsync("message/", $$$"""{{{{To}}},"type":"text","message":"hi"}""");
        Assert.Equal(200, status);
    }

    public static TheoryData<string, string> OutsideTheLimits => new()
    {
        { $$$"""{{{{To}}},"type":"text","message":"{{{new string('x', 4097)}}}"}""", "4096" },
        { $$$"""{{{{To}}},"type":"text"}""", "message" },
        { $$$"""{{{{To}}},"type":"image","url":"https://e.com/a.gif","mime_type":"image/gif"}""", "mime_type" },
        { $$$"""{{{{To}}},"type":"image","url":"https://e.com/a.jpg","mime_type":"image/jpeg","caption":"{{{new string('c', 1025)}}}"}""", "1024" },
        { $$$"""{{{{To}}},"type":"image","url":"ftp://e.com/a.jpg","mime_type":"image/jpeg"}""", "url" },
        { $$$"""{{{{To}}},"type":"sticker","url":"https://e.com/a.webp","mime_type":"image/webp","caption":"no"}""", "caption" },
        // The documented sticker example (type image, image/webp) is a sticker: no caption either.
        { $$$"""{{{{To}}},"type":"image","url":"https://e.com/a.webp","mime_type":"image/webp","caption":"no"}""", "caption" },
        { $$$"""{{{{To}}},"type":"document","url":"https://e.com/a.pdf","mime_type":"application/pdf"}""", "filename" },
        { $$$"""{{{{To}}},"type":"location","latitude":"91","longitude":"0"}""", "latitude" },
        { $$$"""{{{{To}}},"type":"location","latitude":18.5,"longitude":"73.8"}""", "string" },
        { $$$"""{{{{To}}},"type":"quick_reply","message":"m","buttons":["a","b","c","d"]}""", "buttons" },
        { $$$"""{{{{To}}},"type":"quick_reply","message":"m","buttons":["same","same"]}""", "unique" },
        { $$$"""{{{{To}}},"type":"quick_reply","message":"m","buttons":["{{{new string('b', 21)}}}"]}""", "20" },
        { $$$"""{{{{To}}},"type":"quick_reply","message":"m","buttons":["a"],"header":"{{{new string('h', 61)}}}"}""", "60" },
        { $$$"""{{{{To}}},"type":"list","message":"m","list_obj":{"button":"b","sections":[{"title":"{{{new string('t', 25)}}}","rows":[{"id":"1","title":"t"}]}]}}""", "24" },
        { $$$"""{{{{To}}},"type":"list","message":"m","list_obj":{"button":"b","sections":[{"title":"a","rows":[{"id":"1","title":"1"},{"id":"2","title":"2"},{"id":"3","title":"3"},{"id":"4","title":"4"},{"id":"5","title":"5"},{"id":"6","title":"6"}]},{"title":"b","rows":[{"id":"7","title":"7"},{"id":"8","title":"8"},{"id":"9","title":"9"},{"id":"10","title":"10"},{"id":"11","title":"11"}]}]}}""", "10 rows" },
        { $$$"""{{{{To}}},"type":"list","message":"m","list_obj":{"button":"b","sections":[{"title":"a","rows":[{"id":"1","title":"t","description":"{{{new string('d', 73)}}}"}]}]}}""", "72" },
        { $$$"""{{{{To}}},"type":"product","message":"m","product_list":{"sections":[]}}""", "1 to 30" },
        { $$$"""{{{{To}}},"type":"fax","message":"m"}""", "fax" },
        { $$$"""{{{{To}}},"type":"text","message":"m","priority":"high"}""", "Unknown field 'priority'" },
        { $$$"""{{{{To}}},"type":"text","message":null}""", "null" },
        { """{"customer_number":"+919970585556","customer_name":"A","type":"text","message":"m"}""", "Invalid mobile number" },
        { """{"customer_number":"1234567890123456","customer_name":"A","type":"text","message":"m"}""", "Invalid mobile number" },
        { """{"customer_number":"919970585556","type":"text","message":"m"}""", "customer_name" },
        { "not json", "JSON" },
    };

    [Theory]
    [MemberData(nameof(OutsideTheLimits))]
    public async Task Refuses_bodies_outside_the_contract_with_a_400_that_says_why(string body, string reason)
    {
        await using var e = await Emulator.StartAsync();
        await e.OpenWindowAsync("919970585556");
        var (status, json) = await e.PostAsync("message/", body);
        Assert.Equal(400, status);
        Assert.Equal(400, json["code"]!.GetValue<int>());
        Assert.Contains(reason, json["message"]!.GetValue<string>());
        Assert.Empty(e.Host.State.Messages);
    }

    [Fact]
    public async Task Templates_pass_without_a_window_and_check_their_parameters()
    {
        await using var e = await Emulator.StartAsync();
        string Template(string name, string lang, string components) =>
            $$$"""{{{{To}}},"template_name":"{{{name}}}","template_lang":"{{{lang}}}"{{{(components.Length > 0 ? ",\"params\":" + components : "")}}}}""";
        const string twoValues = """[{"type":"body","parameters":[{"type":"text","text":"8654334"},{"type":"text","text":"Approved"}]}]""";

        Assert.Equal(200, (await e.PostAsync("message/", Template("hello_world", "en", ""))).Status);
        Assert.Equal(200, (await e.PostAsync("message/", Template("payment_status", "en", twoValues))).Status);
        Assert.Equal(200, (await e.PostAsync("message/", Template("new_arrivals", "en_US",
            """[{"type":"header","parameters":[{"type":"image","image":{"link":"https://e.com/h.jpg"}}]}]"""))).Status);
        Assert.Equal(200, (await e.PostAsync("message/", Template("track_order", "en",
            """[{"type":"body","parameters":[{"type":"text","text":"8654334"}]},{"type":"button","sub_type":"url","index":0,"parameters":[{"type":"text","text":"8654334"}]}]"""))).Status);

        Assert.Contains("expects 2", (await e.PostAsync("message/", Template("payment_status", "en", """[{"type":"body","parameters":[{"type":"text","text":"1"}]}]"""))).Body["message"]!.GetValue<string>());
        Assert.Contains("does not exist", (await e.PostAsync("message/", Template("payment_status", "hi", twoValues))).Body["message"]!.GetValue<string>());
        Assert.Contains("not approved", (await e.PostAsync("message/", Template("spring_sale", "en", """[{"type":"body","parameters":[{"type":"text","text":"1"}]}]"""))).Body["message"]!.GetValue<string>());
        Assert.Contains("image header", (await e.PostAsync("message/", Template("new_arrivals", "en_US", ""))).Body["message"]!.GetValue<string>());
        Assert.Contains("URL button", (await e.PostAsync("message/", Template("track_order", "en", """[{"type":"body","parameters":[{"type":"text","text":"1"}]}]"""))).Body["message"]!.GetValue<string>());
        Assert.Equal(4, e.Host.State.Messages.Count);
    }

    [Fact]
    public async Task Wrong_keys_get_401()
    {
        await using var e = await Emulator.StartAsync();
        using var response = await e.Bare.PostAsync("message/", new StringContent("{}"));
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("\"code\":401", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Custom_keys_replace_the_demo_keys()
    {
        await using var e = await Emulator.StartAsync(o => { o.AccessKey = "live-a"; o.SecretKey = "live-s"; });
        Assert.Equal(401, (await e.GetAsync("api/template/")).Status);
        e.Api.DefaultRequestHeaders.Remove("x-api-key");
        e.Api.DefaultRequestHeaders.Remove("x-api-secret");
        e.Api.DefaultRequestHeaders.Add("x-api-key", "live-a");
        e.Api.DefaultRequestHeaders.Add("x-api-secret", "live-s");
        Assert.Equal(200, (await e.GetAsync("api/template/")).Status);
    }

    [Fact]
    public async Task Accepted_messages_are_listed_and_reset_clears_them()
    {
        await using var e = await Emulator.StartAsync();
        await e.PostAsync("message/", $$$"""{{{{To}}},"template_name":"hello_world","template_lang":"en"}""");
        var list = System.Text.Json.Nodes.JsonNode.Parse(await e.Bare.GetStringAsync("_emulator/messages"))!.AsArray();
        var m = Assert.Single(list);
        Assert.Equal("919970585556", m!["customer_number"]!.GetValue<string>());
        Assert.Equal("template", m["kind"]!.GetValue<string>());
        Assert.Equal("hello_world", m["body"]!["template_name"]!.GetValue<string>());
        (await e.Bare.PostAsync("_emulator/reset", null)).EnsureSuccessStatusCode();
        Assert.Empty(e.Host.State.Messages);
    }
}
