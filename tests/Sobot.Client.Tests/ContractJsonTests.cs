using System.Text.Json.Nodes;
using Sobot.Client.Models.Requests;
using Sobot.Client.Models.Responses;

namespace Sobot.Client.Tests;

/// <summary>The bodies the client puts on the wire equal the contract's own examples (compared as parsed JSON).</summary>
public class ContractJsonTests
{
    private static void AssertJson(string expected, object request)
    {
        var actual = JsonNode.Parse(SobotJson.Serialize(request));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}\nActual   {actual!.ToJsonString()}");
    }

    [Fact]
    public void Text_message()
    {
        AssertJson("""{"customer_number":"919970585556","customer_name":"Asha","type":"text","message":"Hello *there*"}""",
            new TextMessageRequest("919970585556", "Asha", "Hello *there*"));
    }

    [Fact]
    public void Image_message_with_and_without_caption()
    {
        AssertJson("""{"customer_number":"919970585556","customer_name":"Asha","type":"image","url":"https://example.com/a.png","mime_type":"image/png","caption":"Look"}""",
            MediaMessageRequest.Image("919970585556", "Asha", "https://example.com/a.png", "image/png", "Look"));
        AssertJson("""{"customer_number":"919970585556","customer_name":"Asha","type":"image","url":"https://example.com/a.jpg","mime_type":"image/jpeg"}""",
            MediaMessageRequest.Image("919970585556", "Asha", "https://example.com/a.jpg", "image/jpeg", null));
    }

    [Fact]
    public void Template_with_body_variables_matches_the_documented_component()
    {
        AssertJson("""
            {"customer_number":"919970585556","customer_name":"Asha","template_name":"payment_status","template_lang":"en",
             "params":[{"type":"body","parameters":[{"type":"text","text":"8654334"},{"type":"text","text":"Approved"}]}]}
            """,
            new TemplateMessageRequest("919970585556", "Asha", "payment_status", "en", [TemplateComponent.Body(["8654334", "Approved"])]));
    }

    [Fact]
    public void Template_without_variables_sends_no_params_key()
    {
        AssertJson("""{"customer_number":"919970585556","customer_name":"Asha","template_name":"hello_world","template_lang":"en_US"}""",
            new TemplateMessageRequest("919970585556", "Asha", "hello_world", "en_US", []));
    }

    [Fact]
    public void Media_headers_match_the_documented_components()
    {
        AssertJson("""{"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/h.jpg"}}]}""",
            TemplateComponent.ImageHeader("https://example.com/h.jpg"));
        AssertJson("""{"type":"header","parameters":[{"type":"video","video":{"link":"https://example.com/h.mp4"}}]}""",
            TemplateComponent.VideoHeader("https://example.com/h.mp4"));
        AssertJson("""{"type":"header","parameters":[{"type":"document","document":{"link":"https://example.com/inv.pdf","filename":"Invoice.pdf"}}]}""",
            TemplateComponent.DocumentHeader("https://example.com/inv.pdf", "Invoice.pdf"));
    }

    [Fact]
    public void Dynamic_url_button_matches_the_documented_component()
    {
        AssertJson("""{"type":"button","sub_type":"url","index":0,"parameters":[{"type":"text","text":"8654334"}]}""",
            TemplateComponent.UrlButton("8654334", 0));
    }

    [Fact]
    public void Reads_the_documented_send_response()
    {
        var r = SobotJson.Deserialize<MessageResponse>("""{"data": {"id": "wamid.HBgM", "status": "submitted"}, "message": "Message sent successfully.", "code": 200}""")!;
        Assert.Equal("wamid.HBgM", r.Data!.Id);
        Assert.Equal("submitted", r.Data.Status);
        Assert.Equal(200, r.Code);
    }

    [Fact]
    public void Reads_the_documented_template_list()
    {
        const string json = """
            {"count": 80, "size": 20, "next": "https://api.sobot.in/api/template/?page=2",
             "previous": null, "code": 200,
             "data": [{"id": 584, "entity_name": "march_ending", "template": "Dear customer, ...",
                       "category": "UTILITY", "template_id": "759559305816228",
                       "template_type": "TEXT", "lang_code": "en", "status": 1,
                       "header": null, "header_type": null, "footer": null, "sub_type": null,
                       "buttons": null, "phone_numbers": null, "url": null, "url_name": null,
                       "example": null, "example_website": null, "rejected_reason": null,
                       "created_at": "2023-03-25T13:26:20.034623+05:30", "updated_at": null,
                       "added_by": 156}]}
            """;
        var page = SobotJson.Deserialize<PagedResponse<TemplateRecord>>(json)!;
        Assert.Equal(80, page.Count);
        Assert.Equal(2, Paging.Pager.PageOf(page.Next!));
        var t = Assert.Single(page.Data!);
        Assert.Equal(584, t.Id);
        Assert.Equal("march_ending", t.EntityName);
        Assert.Equal("Dear customer, ...", t.Template);
        Assert.Equal("759559305816228", t.TemplateId);
        Assert.Equal("en", t.LangCode);
        Assert.Equal(Models.Responses.TemplateStatus.Approved, t.Status);
        Assert.Equal(DateTimeOffset.Parse("2023-03-25T13:26:20.034623+05:30", System.Globalization.CultureInfo.InvariantCulture), t.CreatedAt);
        Assert.Equal(156, t.AddedBy);
    }

    [Fact]
    public void Reads_the_documented_customer_list_item()
    {
        var page = SobotJson.Deserialize<PagedResponse<CustomerRecord>>(
            """{"count":1,"size":20,"next":null,"previous":null,"code":200,"data":[{"id":7,"name":"John Doe","first_name":"John","last_name":"Doe","mobile":"919960123456"}]}""")!;
        var c = Assert.Single(page.Data!);
        Assert.Equal(("John Doe", "John", "Doe", "919960123456"), (c.Name, c.FirstName, c.LastName, c.Mobile));
    }
}
