using System.Net.Http.Json;

namespace Sobot.Emulator.Tests;

public class TemplateAndCustomerEndpointTests
{
    [Fact]
    public async Task Lists_templates_20_per_page_with_absolute_links_and_a_status_filter()
    {
        await using var e = await Emulator.StartAsync();
        for (int i = 0; i < 35; i++)
            Assert.Equal(201, (await e.PostAsync("api/template/", $$$"""{"category":"UTILITY","entity_name":"bulk {{{i}}}","template_type":"TEXT","body":"Body {{{i}}}","lang_code":"en"}""")).Status);

        var (status, page1) = await e.GetAsync("api/template/");
        Assert.Equal(200, status);
        Assert.Equal(43, page1["count"]!.GetValue<int>());
        Assert.Equal(20, page1["size"]!.GetValue<int>());
        Assert.Equal(20, page1["data"]!.AsArray().Count);
        Assert.Null(page1["previous"]);
        Assert.Equal($"{e.Host.BaseUri.AbsoluteUri.TrimEnd('/')}/api/template/?page=2", page1["next"]!.GetValue<string>());

        var (_, page3) = await e.GetAsync("api/template/?page=3");
        Assert.Equal(3, page3["data"]!.AsArray().Count);
        Assert.Null(page3["next"]);
        Assert.EndsWith("/api/template/?page=2", page3["previous"]!.GetValue<string>());

        var (_, pending) = await e.GetAsync("api/template/?status=0");
        Assert.Equal(36, pending["count"]!.GetValue<int>()); // 35 new + the seeded spring_sale
        Assert.EndsWith("/api/template/?status=0&page=2", pending["next"]!.GetValue<string>());
        Assert.Equal("bulk_0", pending["data"]![1]!["entity_name"]!.GetValue<string>());

        var item = page1["data"]![0]!.AsObject();
        foreach (var key in new[] { "id", "entity_name", "template", "category", "template_id", "template_type", "lang_code", "status", "header", "header_type",
                     "footer", "sub_type", "buttons", "phone_numbers", "url", "url_name", "example", "example_website", "rejected_reason", "created_at", "updated_at", "added_by" })
            Assert.True(item.ContainsKey(key), key);
        Assert.Equal(22, item.Count);
    }

    public static TheoryData<string, string> BadTemplates => new()
    {
        { """{"category":"PROMO","entity_name":"a","template_type":"TEXT","body":"b","lang_code":"en"}""", "category" },
        { """{"category":"UTILITY","entity_name":"a","template_type":"TEXT","body":"Hi {{1}}","lang_code":"en"}""", "example_body_param" },
        { """{"category":"UTILITY","entity_name":"a","template_type":"TEXT","body":"Hi {{1}} {{2}}","lang_code":"en","example_body_param":{"body_text":[["one"]]}}""", "2 sample" },
        { """{"category":"UTILITY","entity_name":"a","template_type":"MEDIA","body":"b","lang_code":"en"}""", "MEDIA" },
        { """{"category":"UTILITY","entity_name":"a","template_type":"MEDIA","body":"b","lang_code":"en","header_type":"IMAGE"}""", "example" },
        { """{"category":"UTILITY","entity_name":"a","template_type":"TEXT","body":"b","lang_code":"en","header_type":"TEXT","header":"Hi *there*"}""", "markdown" },
        { """{"category":"UTILITY","entity_name":"a","template_type":"TEXT","body":"b","lang_code":"en","sub_type":"CTA","url":"https://e.com/{{1}}","url_name":"Go"}""", "example_website" },
        { """{"category":"UTILITY","entity_name":"a","template_type":"TEXT","body":"b","lang_code":"en","sub_type":"CTA"}""", "CTA" },
        { """{"category":"UTILITY","entity_name":"a","template_type":"TEXT","body":"b","lang_code":"en","buttons":["a","b","c","d"]}""", "buttons" },
    };

    [Theory]
    [MemberData(nameof(BadTemplates))]
    public async Task Refuses_templates_that_break_the_documented_rules(string body, string reason)
    {
        await using var e = await Emulator.StartAsync();
        var (status, json) = await e.PostAsync("api/template/", body);
        Assert.Equal(400, status);
        Assert.Contains(reason, json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creates_a_cta_template_pending_and_refuses_its_duplicate()
    {
        await using var e = await Emulator.StartAsync();
        const string body = """
            {"category":"MARKETING","entity_name":"visit us","template_type":"TEXT","body":"Hello {{1}}","lang_code":"en_US",
             "example_body_param":{"body_text":[["Asha"]]},"footer":"Thanks 🙏","sub_type":"CTA",
             "phone_numbers":[{"phone_number":"919561123456","text":"Call Now"}],
             "url":"https://shop.example.com/{{1}}","url_name":"Visit","example_website":"https://shop.example.com/sale"}
            """;
        var (status, json) = await e.PostAsync("api/template/", body);
        Assert.Equal(201, status);
        Assert.Equal("Template created successfully", json["message"]!.GetValue<string>());
        var created = e.Host.State.Templates.Single(t => t.EntityName == "visit_us");
        Assert.Equal(0, created.Status);
        Assert.Equal(400, (await e.PostAsync("api/template/", body)).Status);

        (await e.Bare.PostAsJsonAsync("_emulator/templates/visit_us/status", new { status = 1 })).EnsureSuccessStatusCode();
        Assert.Equal(1, e.Host.State.Templates.Single(t => t.EntityName == "visit_us").Status);
    }

    [Fact]
    public async Task Customers_add_duplicate_invalid_update_and_list()
    {
        await using var e = await Emulator.StartAsync();
        const string asha = """{"mobile":"919970585556","name":"Asha Patil","email":"asha@example.com","gender":"Female","date_of_birth":"15-08-1990","extra_fields":{"loyalty_tier":"gold"},"labels":["vip","pune"]}""";
        Assert.Equal((201, "Customer added successfully"), await Message(e.PostAsync("api/customer", asha)));
        Assert.Equal((400, "Customer already exists"), await Message(e.PostAsync("api/customer", asha)));
        Assert.Equal((400, "Invalid mobile number"), await Message(e.PostAsync("api/customer", """{"mobile":"12ab","name":"X"}""")));
        Assert.Equal(400, (await e.PostAsync("api/customer", """{"mobile":"919970585557","name":"X","date_of_birth":"1990-08-15"}""")).Status);
        Assert.Equal(400, (await e.PostAsync("api/customer", """{"mobile":"919970585557","name":"X","extra_fields":{"loyalty tier":"gold"}}""")).Status);

        Assert.Equal((400, "Field 'name' is required."), await Message(e.PutAsync("api/customer/919970585556", """{"labels":["new"]}""")));
        Assert.Equal(["vip", "pune"], e.Host.State.FindCustomer("919970585556")!.Labels);
        Assert.Equal((201, "Customer updated successfully"), await Message(e.PutAsync("api/customer/919970585556", """{"name":"Asha Patil","labels":["new"]}""")));
        Assert.Equal(["new"], e.Host.State.FindCustomer("919970585556")!.Labels);
        Assert.Equal(404, (await e.PutAsync("api/customer/919970585559", """{"name":"X","labels":["new"]}""")).Status);

        var (_, list) = await e.GetAsync("api/customer");
        var c = list["data"]![0]!;
        Assert.Equal(("Asha Patil", "Asha", "Patil", "919970585556"),
            (c["name"]!.GetValue<string>(), c["first_name"]!.GetValue<string>(), c["last_name"]!.GetValue<string>(), c["mobile"]!.GetValue<string>()));
        Assert.Equal(5, c.AsObject().Count);
    }

    private static async Task<(int, string)> Message(Task<(int Status, System.Text.Json.Nodes.JsonNode Body)> call)
    {
        var (status, body) = await call;
        return (status, body["message"]!.GetValue<string>());
    }
}

public class TemplateHeaderVariableTests
{
    private const string Create = """{"category":"UTILITY","entity_name":"greet","template_type":"TEXT","body":"Your order {{1}} is ready.","lang_code":"en","example_body_param":{"body_text":[["8654334"]]},"header_type":"TEXT","header":"Hi {{1}}"HEADER_SAMPLE}""";

    [Theory]
    [InlineData("", 400, "example_header_param")]
    [InlineData(""","example_header_param":{"header_text":["Asha"]}""", 201, "created")]
    [InlineData(""","example_header_param":{"header_text":["Asha","Ravi"]}""", 400, "header_text")]
    [InlineData(""","example_header_param":{"header_text":[["Asha"]]}""", 400, "header_text")]
    [InlineData(""","example_header_param":{"header_sample":["Asha"]}""", 400, "header_sample")]
    public async Task A_text_header_with_a_variable_needs_one_sample(string sample, int expected, string reason)
    {
        await using var e = await Emulator.StartAsync();
        var (status, body) = await e.PostAsync("api/template/", Create.Replace("HEADER_SAMPLE", sample));
        Assert.Equal(expected, status);
        Assert.Contains(reason, body["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Hi {{2}}")]
    [InlineData("Hi {{1}} and {{2}}")]
    [InlineData("Hi {{1}} {{1}}")]
    public async Task A_text_header_holds_at_most_one_variable(string header)
    {
        await using var e = await Emulator.StartAsync();
        var (status, body) = await e.PostAsync("api/template/", Create.Replace("Hi {{1}}", header).Replace("HEADER_SAMPLE", ""","example_header_param":{"header_text":["Asha"]}"""));
        Assert.Equal(400, status);
        Assert.Contains("at most one variable", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sample_without_a_header_variable_is_refused()
    {
        await using var e = await Emulator.StartAsync();
        var (status, _) = await e.PostAsync("api/template/", Create.Replace("Hi {{1}}", "Hello").Replace("HEADER_SAMPLE", ""","example_header_param":{"header_text":["Asha"]}"""));
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task The_list_shows_the_header_variable_and_a_send_must_give_its_value()
    {
        await using var e = await Emulator.StartAsync();
        Assert.Equal(201, (await e.PostAsync("api/template/", Create.Replace("HEADER_SAMPLE", ""","example_header_param":{"header_text":["Asha"]}"""))).Status);
        (await e.Bare.PostAsync("_emulator/templates/greet/status", new StringContent("""{"status":1}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var (_, list) = await e.GetAsync("api/template/?status=1");
        var greet = list["data"]!.AsArray().Single(t => t!["entity_name"]!.GetValue<string>() == "greet")!;
        Assert.Equal(("Hi {{1}}", "TEXT"), (greet["header"]!.GetValue<string>(), greet["header_type"]!.GetValue<string>()));

        const string send = """{"customer_number":"919970585556","customer_name":"Asha","template_name":"greet","template_lang":"en","params":[PARAMS]}""";
        const string body = """{"type":"body","parameters":[{"type":"text","text":"8654334"}]}""";
        const string header = """{"type":"header","parameters":[{"type":"text","text":"Asha"}]}""";
        Assert.Equal(200, (await e.PostAsync("message/", send.Replace("PARAMS", header + "," + body))).Status);
        var (missing, why) = await e.PostAsync("message/", send.Replace("PARAMS", body));
        Assert.Equal(400, missing);
        Assert.Contains("expects 1 header parameters; 0 given", why["message"]!.GetValue<string>());
        Assert.Equal(400, (await e.PostAsync("message/", send.Replace("PARAMS", header + "," + header + "," + body))).Status);
        var (extra, whyExtra) = await e.PostAsync("message/", """{"customer_number":"919970585556","customer_name":"Asha","template_name":"order_update","template_lang":"en","params":[HEADER,{"type":"body","parameters":[{"type":"text","text":"1"}]}]}""".Replace("HEADER", header));
        Assert.Equal(400, extra);
        Assert.Contains("expects 0 header parameters; 1 given", whyExtra["message"]!.GetValue<string>());
    }
}
