using System.Text.Json;
using System.Text.Json.Nodes;
using Sobot.Client.Models.Requests;
using Sobot.Client.Models.Responses;
using Sobot.Client.Templates;
using Sobot.TestSupport;

namespace Sobot.Client.Tests;

/// <summary>The template send rules, in the client, tested without PowerShell and without a server.</summary>
public class TemplateRulesTests
{
    private static TemplateRecord Record(string json) => SobotJson.Deserialize<TemplateRecord>(json)!;

    private static readonly TemplateRecord PaymentStatus = Record("""{"id":1,"entity_name":"payment_status","template":"Order {{1}} is {{2}}.","template_type":"TEXT","lang_code":"en","status":1}""");
    private static readonly TemplateRecord NewArrivals = Record("""{"id":2,"entity_name":"new_arrivals","template":"New in store.","template_type":"MEDIA","header_type":"IMAGE","lang_code":"en_US","status":1}""");
    private static readonly TemplateRecord TrackOrder = Record("""{"id":3,"entity_name":"track_order","template":"Track {{1}}.","template_type":"TEXT","sub_type":"CTA","lang_code":"en","status":1,"url":"https://shop.example.com/track/{{1}}","url_name":"Track","phone_numbers":[{"phone_number":"919561123456","text":"Call"}]}""");
    private static readonly TemplateRecord StaticPartOnly = Record("""{"id":4,"entity_name":"track_static_part","template":"Track.","template_type":"TEXT","sub_type":"CTA","lang_code":"en","status":1,"url":"https://shop.example.com/track/","example_website":"https://shop.example.com/track/42"}""");
    private static readonly TemplateRecord StaticUrl = Record("""{"id":5,"entity_name":"visit_us","template":"Visit us.","template_type":"TEXT","sub_type":"CTA","lang_code":"en","status":1,"url":"https://shop.example.com/","example_website":null}""");
    private static readonly TemplateRecord Greeting = Record("""{"id":6,"entity_name":"greeting","template":"Your order {{1}} is ready.","template_type":"TEXT","header_type":"TEXT","header":"Hi {{1}}","lang_code":"en","status":1}""");
    private static readonly TemplateRecord Pending = Record("""{"id":7,"entity_name":"not_yet","template":"Hi.","template_type":"TEXT","lang_code":"en","status":0}""");

    private static SobotClient Client(params TemplateRecord[] templates)
    {
        var client = new SobotClient(new SobotClientOptions(new SobotCredential("a", TestEmulator.Secure("b"))) { BaseUri = new Uri("http://127.0.0.1:9/") });
        client.Templates.Replace(templates);
        return client;
    }

    private static Task<TemplateSendPlan> Plan(SobotClient client, TemplateSendValues values) =>
        client.PlanTemplateMessageAsync("919970585556", "Asha Patil", values);

    private static JsonNode Wire(SendMessageRequest request) => JsonNode.Parse(SobotJson.Serialize(request))!;

    [Fact]
    public async Task Builds_the_documented_body_parameters_example()
    {
        using var client = Client(PaymentStatus);
        var plan = await Plan(client, new TemplateSendValues { TemplateName = "payment_status", BodyParameters = ["8654334", "Approved"] });
        Assert.True(JsonNode.DeepEquals(ContractExamples.Get("send-template-body-params").Body, Wire(plan.Request)));
        Assert.Null(plan.Warning);
    }

    [Fact]
    public async Task Builds_the_documented_media_header_example()
    {
        using var client = Client(NewArrivals);
        var plan = await Plan(client, new TemplateSendValues { TemplateName = "new_arrivals", HeaderImageUrl = "https://example.com/media/new-arrivals.jpg" });
        Assert.True(JsonNode.DeepEquals(ContractExamples.Get("send-template-media-header").Body, Wire(plan.Request)));
    }

    [Fact]
    public async Task Builds_the_documented_dynamic_url_button_example_at_index_0_by_default()
    {
        using var client = Client(TrackOrder);
        var plan = await Plan(client, new TemplateSendValues { TemplateName = "track_order", BodyParameters = ["8654334"], UrlButtonParameter = "8654334" });
        Assert.True(JsonNode.DeepEquals(ContractExamples.Get("send-template-dynamic-url-button").Body, Wire(plan.Request)));
    }

    [Fact]
    public async Task A_listed_url_without_its_variable_but_with_an_example_is_dynamic()
    {
        Assert.True(StaticPartOnly.HasDynamicUrlButton);
        Assert.False(StaticUrl.HasDynamicUrlButton);
        using var client = Client(StaticPartOnly, StaticUrl);
        var ex = await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "track_static_part" }));
        Assert.Equal(["UrlButtonParameter"], ex.Values);
        Assert.Contains("give the value that completes its URL", ex.Message);
        var plan = await Plan(client, new TemplateSendValues { TemplateName = "track_static_part", UrlButtonParameter = "42", UrlButtonIndex = 1 });
        Assert.Equal(1, plan.Request.Params!.Single(c => c.Type == "button").Index);
        await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "visit_us", UrlButtonParameter = "42" }));
    }

    [Fact]
    public async Task A_header_variable_needs_its_value_and_sends_it_as_a_text_header()
    {
        Assert.Equal(1, Greeting.HeaderVariableCount);
        Assert.Equal(0, PaymentStatus.HeaderVariableCount);
        using var client = Client(Greeting, PaymentStatus);
        var missing = await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "greeting", BodyParameters = ["1"] }));
        Assert.Equal(["HeaderParameter"], missing.Values);
        Assert.DoesNotContain("-Header", missing.Message);   // the module names its own parameter
        var plan = await Plan(client, new TemplateSendValues { TemplateName = "greeting", HeaderParameter = "Asha", BodyParameters = ["1"] });
        var header = Wire(plan.Request)["params"]!.AsArray()[0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"header","parameters":[{"type":"text","text":"Asha"}]}"""), header));
        await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "payment_status", HeaderParameter = "Asha", BodyParameters = ["1", "2"] }));
    }

    [Fact]
    public async Task Media_templates_need_their_kind_of_header_and_text_templates_none()
    {
        using var client = Client(NewArrivals, PaymentStatus);
        var none = await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "new_arrivals" }));
        Assert.Equal(["HeaderImageUrl"], none.Values);
        Assert.Contains("give the header's image URL", none.Message);
        var wrongKind = await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "new_arrivals", HeaderVideoUrl = "https://example.com/v.mp4" }));
        Assert.Contains("not a video one", wrongKind.Message);
        await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "payment_status", BodyParameters = ["1", "2"], HeaderImageUrl = "https://example.com/a.jpg" }));
    }

    [Fact]
    public async Task Counts_body_values_and_refuses_templates_not_approved()
    {
        using var client = Client(PaymentStatus, Pending);
        var count = await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "payment_status", BodyParameters = ["1"] }));
        Assert.Equal(SobotTemplateProblem.ParameterCountMismatch, count.Problem);
        var pending = await Assert.ThrowsAsync<SobotTemplateException>(() => Plan(client, new TemplateSendValues { TemplateName = "not_yet" }));
        Assert.Equal(SobotTemplateProblem.NotApproved, pending.Problem);
    }

    [Fact]
    public async Task With_a_language_an_unreadable_list_sends_unchecked_with_a_warning()
    {
        using var server = new RawHttpServer(_ => RawHttpServer.Response(500, "{\"message\":\"boom\",\"code\":500}"));
        using var client = new SobotClient(new SobotClientOptions(new SobotCredential("a", TestEmulator.Secure("b"))) { BaseUri = server.BaseUri, MaximumRetryCount = 0 });
        var plan = await Plan(client, new TemplateSendValues { TemplateName = "payment_status", Language = "en", BodyParameters = ["1", "2"] });
        Assert.Contains("without checking", plan.Warning);
        Assert.Equal("en", plan.Request.TemplateLang);
        await Assert.ThrowsAsync<SobotApiException>(() => Plan(client, new TemplateSendValues { TemplateName = "payment_status", BodyParameters = ["1", "2"] }));
    }

    [Fact]
    public void The_list_record_is_typed_whatever_the_shape_of_its_buttons()
    {
        var asObject = Record("""{"entity_name":"x","status":2,"phone_numbers":{"phone_number":"919561123456","text":"Call Now"},"buttons":["Yes",{"text":"No"}],"created_at":"2023-03-25T13:26:20.034623+05:30","updated_at":"not a date"}""");
        Assert.Equal(TemplateStatus.Rejected, asObject.Status);
        Assert.Equal("919561123456", Assert.Single(asObject.PhoneButtons).PhoneNumber);
        Assert.Equal(new[] { "Yes", "No" }, asObject.Buttons);
        Assert.Equal(new DateTimeOffset(2023, 3, 25, 13, 26, 20, 34, TimeSpan.FromHours(5.5)).AddTicks(6230), asObject.CreatedAt);
        Assert.Null(asObject.UpdatedAt);
        Assert.Equal("Call", Assert.Single(TrackOrder.PhoneButtons).Text);
    }

    [Fact]
    public void Sync_drift_reads_phone_numbers_as_an_array_or_an_object()
    {
        var definition = new TemplateDefinition { Name = "visit_or_call", Category = "Marketing", Body = "Call us.", Language = "en", PhoneButtonText = "Call Now", PhoneButtonNumber = "919561123456" };
        foreach (var phones in new[] { """[{"phone_number":"919561123456","text":"Call Now"}]""", """{"phone_number":"919561123456","text":"Call Now"}""" })
        {
            var existing = Record($$"""{"entity_name":"visit_or_call","category":"MARKETING","template":"Call us.","lang_code":"en","status":1,"sub_type":"CTA","phone_numbers":{{phones}}}""");
            Assert.Empty(definition.DifferencesFrom(existing));
        }
    }

    [Fact]
    public void A_text_header_with_a_variable_needs_a_sample_sent_as_example_header_param()
    {
        var definition = new TemplateDefinition { Name = "greeting", Category = "Utility", Body = "Hello.", Header = "Hi {{1}}", HeaderExample = "Asha" };
        var json = JsonNode.Parse(SobotJson.Serialize(definition.ToRequest()))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"header_text":["Asha"]}"""), json["example_header_param"]));
        Assert.Equal("Hi {{1}}", json["header"]!.GetValue<string>());
        Assert.Equal("HeaderExample", Assert.Throws<SobotValidationException>(() => new TemplateDefinition { Name = "g", Category = "Utility", Body = "b", Header = "Hi {{1}}" }.ToRequest()).Field);
        Assert.Equal("Header", Assert.Throws<SobotValidationException>(() => new TemplateDefinition { Name = "g", Category = "Utility", Body = "b", Header = "{{1}} and {{2}}", HeaderExample = "x" }.ToRequest()).Field);
        Assert.Equal("HeaderExample", Assert.Throws<SobotValidationException>(() => new TemplateDefinition { Name = "g", Category = "Utility", Body = "b", Header = "Hi", HeaderExample = "x" }.ToRequest()).Field);
    }

    [Fact]
    public void Builds_the_documented_template_create_examples()
    {
        var textHeader = new TemplateDefinition { Name = "delivery notice", Category = "Utility", Body = "Your parcel arrives today.", Header = "Delivery update", Footer = "Thanks for shopping with us" };
        var expectedText = ContractExamples.Get("template-create-text-header").Body.DeepClone();
        expectedText["entity_name"] = "delivery_notice"; // spaces become _ (the contract's create rule)
        Assert.True(JsonNode.DeepEquals(expectedText, JsonNode.Parse(SobotJson.Serialize(textHeader.ToRequest()))));

        var cta = new TemplateDefinition
        {
            Name = "visit_or_call", Category = "Marketing", Body = "Your order {{1}} has shipped.", Language = "en", BodyExample = ["8654334"],
            PhoneButtonText = "Call Now", PhoneButtonNumber = "919561123456",
            UrlButtonText = "Track order", UrlButtonUrl = "https://shop.example.com/track/{{1}}", UrlButtonExample = "https://shop.example.com/track/8654334",
        };
        Assert.True(JsonNode.DeepEquals(ContractExamples.Get("template-create-cta-phone-and-url").Body, JsonNode.Parse(SobotJson.Serialize(cta.ToRequest()))));
    }

    [Fact]
    public void Builds_the_documented_free_form_examples()
    {
        Assert.True(JsonNode.DeepEquals(ContractExamples.Get("send-text").Body,
            Wire(new TextMessageRequest("919970585556", "Asha Patil", "Hello *Asha*, your order is _on its way_: https://shop.example.com/orders/8654334"))));
        Assert.True(JsonNode.DeepEquals(ContractExamples.Get("send-image").Body,
            Wire(MediaMessageRequest.Image("919970585556", "Asha Patil", "https://example.com/media/offer.jpg", "image/jpeg", "This week's offer"))));
        Assert.True(JsonNode.DeepEquals(ContractExamples.Get("send-quick-reply").Body,
            Wire(new QuickReplyMessageRequest("919970585556", "Asha Patil", "Is the delivery slot of 4 pm fine?", ["Yes", "No", "Call me"], "Delivery slot", "Reply with a button"))));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("product")]
    public void No_emoji_in_list_and_product_headers_either(string kind)
    {
        SendMessageRequest request = kind == "list"
            ? new ListMessageRequest("919970585556", "A", "Pick", "Choose", [new ListSection("Week", [new ListRow("mon", "Monday", null)])], "Delivery 🚚", null)
            : ProductMessageRequest.Multi("919970585556", "A", "Browse", [new ProductSection("New", ["sku-1"])], "New in 🎉", null);
        Assert.Equal("header", Assert.Throws<SobotValidationException>(() => request.Validate()).Field);
    }
}
