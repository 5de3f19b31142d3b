using System.Text.Json.Nodes;
using Sobot.Client.Models.Requests;
using Sobot.Client.Templates;

namespace Sobot.Client.Tests;

/// <summary>Every message type and the create bodies, against the contract's field names (compared as parsed JSON).</summary>
public class ContractJsonMessageTypesTests
{
    private const string N = "919970585556";
    private const string To = "\"customer_number\":\"919970585556\",\"customer_name\":\"Asha\"";

    private static void AssertJson(string expected, object request)
    {
        var actual = JsonNode.Parse(SobotJson.Serialize(request));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}\nActual   {actual!.ToJsonString()}");
    }

    [Fact]
    public void Video() => AssertJson("{" + To + ",\"type\":\"video\",\"url\":\"https://e.com/v.mp4\",\"mime_type\":\"video/mp4\",\"caption\":\"Clip\"}",
        MediaMessageRequest.Video(N, "Asha", "https://e.com/v.mp4", "video/mp4", "Clip"));

    [Fact]
    public void Document() => AssertJson("{" + To + ",\"type\":\"document\",\"url\":\"https://e.com/d.pdf\",\"mime_type\":\"application/pdf\",\"filename\":\"Invoice.pdf\"}",
        MediaMessageRequest.Document(N, "Asha", "https://e.com/d.pdf", "application/pdf", "Invoice.pdf", null));

    [Fact]
    public void Sticker() => AssertJson("{" + To + ",\"type\":\"sticker\",\"url\":\"https://e.com/s.webp\",\"mime_type\":\"image/webp\"}",
        MediaMessageRequest.Sticker(N, "Asha", "https://e.com/s.webp", "image/webp"));

    [Fact]
    public void Location_sends_coordinates_as_invariant_strings()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            AssertJson("{" + To + ",\"type\":\"location\",\"latitude\":\"18.5204\",\"longitude\":\"-73.8567\",\"location_name\":\"Pune\",\"address\":\"MH, India\"}",
                new LocationMessageRequest(N, "Asha", 18.5204, -73.8567, "Pune", "MH, India"));
        }
        finally { Thread.CurrentThread.CurrentCulture = previous; }
    }

    [Fact]
    public void Quick_reply_puts_the_footer_in_caption() =>
        AssertJson("{" + To + ",\"type\":\"quick_reply\",\"message\":\"Pick\",\"buttons\":[\"Yes\",\"No\"],\"header\":\"Question\",\"caption\":\"Footer\"}",
            new QuickReplyMessageRequest(N, "Asha", "Pick", ["Yes", "No"], "Question", "Footer"));

    [Fact]
    public void List_matches_the_documented_list_obj() =>
        AssertJson("{" + To + ",\"type\":\"list\",\"message\":\"Menu\",\"list_obj\":{\"button\":\"See options\",\"sections\":[{\"title\":\"one\",\"rows\":[{\"id\":\"id_1\",\"title\":\"First title\",\"description\":\"optional\"},{\"id\":\"id_2\",\"title\":\"Second\"}]}]}}",
            new ListMessageRequest(N, "Asha", "Menu", "See options", [new ListSection("one", [new ListRow("id_1", "First title", "optional"), new ListRow("id_2", "Second")])], null, null));

    [Fact]
    public void Single_product() =>
        AssertJson("{" + To + ",\"type\":\"product\",\"message\":\"Look\",\"product_list\":{\"product_retailer_id\":\"sbt_in_4_1\"},\"caption\":\"f\"}",
            ProductMessageRequest.Single(N, "Asha", "Look", "sbt_in_4_1", "f"));

    [Fact]
    public void Multi_product() =>
        AssertJson("{" + To + ",\"type\":\"product\",\"message\":\"Look\",\"header\":\"Cakes\",\"product_list\":{\"sections\":[{\"title\":\"Cakes\",\"product_items\":[{\"product_retailer_id\":\"sbt_in_4_1\"},{\"product_retailer_id\":\"sbt_in_4_2\"}]}]}}",
            ProductMessageRequest.Multi(N, "Asha", "Look", [new ProductSection("Cakes", ["sbt_in_4_1", "sbt_in_4_2"])], "Cakes", null));

    [Fact]
    public void Template_with_variables_has_one_sample_per_variable() =>
        AssertJson("""{"category":"UTILITY","entity_name":"order_status","template_type":"TEXT","body":"Order {{1}} is {{2}}","lang_code":"en_US","example_body_param":{"body_text":[["WhatsApp","Cloud API"]]}}""",
            new TemplateDefinition { Name = "order status", Category = "Utility", Body = "Order {{1}} is {{2}}", BodyExample = ["WhatsApp", "Cloud API"] }.ToRequest());

    [Fact]
    public void Template_with_quick_reply_buttons_header_and_footer() =>
        AssertJson("""{"category":"MARKETING","entity_name":"survey","template_type":"TEXT","body":"Happy?","lang_code":"en","header_type":"TEXT","header":"Quick question","footer":"Thanks 🙏","buttons":["Yes","No"]}""",
            new TemplateDefinition { Name = "survey", Category = "MARKETING", Body = "Happy?", Language = "en", Header = "Quick question", Footer = "Thanks 🙏", QuickReplyButton = ["Yes", "No"] }.ToRequest());

    [Fact]
    public void Cta_template_with_phone_and_dynamic_website() =>
        AssertJson("""
            {"category":"UTILITY","entity_name":"track","template_type":"TEXT","body":"Track it","lang_code":"en_US","sub_type":"CTA",
             "phone_numbers":[{"phone_number":"919561123456","text":"Call Now"}],
             "url":"https://shop.example.com/track/{{1}}","url_name":"Track","example_website":"https://shop.example.com/track/8654334"}
            """,
            new TemplateDefinition
            {
                Name = "track", Category = "utility", Body = "Track it", PhoneButtonText = "Call Now", PhoneButtonNumber = "+91 95611 23456",
                UrlButtonText = "Track", UrlButtonUrl = "https://shop.example.com/track/{{1}}", UrlButtonExample = "https://shop.example.com/track/8654334",
            }.ToRequest());

    [Theory]
    [InlineData("IMAGE")]
    [InlineData("VIDEO")]
    [InlineData("DOCUMENT")]
    public void Media_header_template(string kind)
    {
        var d = new TemplateDefinition { Name = "m", Category = "MARKETING", Body = "b" };
        switch (kind)
        {
            case "IMAGE": d.HeaderImageExample = "https://e.com/x"; break;
            case "VIDEO": d.HeaderVideoExample = "https://e.com/x"; break;
            default: d.HeaderDocumentExample = "https://e.com/x"; break;
        }
        AssertJson($$"""{"category":"MARKETING","entity_name":"m","template_type":"MEDIA","body":"b","lang_code":"en_US","header_type":"{{kind}}","example":"https://e.com/x"}""", d.ToRequest());
    }

    [Fact]
    public void Customer_body_uses_the_contract_fields()
    {
        var c = new CustomerRequest { Mobile = N, Name = "Asha Patil", Email = "asha@example.com", Gender = "Female", LinkedinProfile = "https://linkedin.com/in/asha", Labels = ["vip", "pune"] };
        c.SetDateOfBirth(new DateTime(1990, 8, 5));
        c.SetExtraFields([new("loyalty tier", "gold"), new("visits", 12)]);
        AssertJson("""{"mobile":"919970585556","name":"Asha Patil","email":"asha@example.com","gender":"Female","date_of_birth":"05-08-1990","linkedin_profile":"https://linkedin.com/in/asha","extra_fields":{"loyalty_tier":"gold","visits":12},"labels":["vip","pune"]}""", c);
    }
}
