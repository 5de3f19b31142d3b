using Sobot.Client.Models.Requests;
using Sobot.Client.Templates;

namespace Sobot.Client.Tests;

/// <summary>Each documented limit of the interactive, location and media messages: just inside is accepted, just outside refused naming the field.</summary>
public class LimitsTests
{
    private const string N = "919970585556";

    private static void Inside(SendMessageRequest r) => r.Validate();

    private static void Outside(SendMessageRequest r, string field, string limit)
    {
        var ex = Assert.Throws<SobotValidationException>(r.Validate);
        Assert.Equal(field, ex.Field);
        Assert.Contains(limit, ex.Message);
    }

    private static string S(int n, char c = 'a') => new(c, n);

    private static QuickReplyMessageRequest Quick(string[] buttons, string message = "m", string? header = null, string? footer = null) => new(N, "A", message, buttons, header, footer);

    [Fact]
    public void Quick_reply_limits()
    {
        Inside(Quick(["a", "b", "c"], S(1024), S(60), S(60)));
        Inside(Quick([S(20)]));
        Outside(Quick(["a", "b", "c", "d"]), "buttons", "1 to 3");
        Outside(Quick([]), "buttons", "1 to 3");
        Outside(Quick([S(21)]), "buttons[0]", "20");
        Outside(Quick([""]), "buttons[0]", "required");
        Outside(Quick(["Yes", "Yes"]), "buttons", "unique");
        Outside(Quick(["a"], S(1025)), "message", "1024");
        Outside(Quick(["a"], header: S(61)), "header", "60");
        Outside(Quick(["a"], header: "Hi 👋"), "header", "emoji");
        Outside(Quick(["a"], footer: S(61)), "caption", "60");
    }

    private static ListMessageRequest List(IEnumerable<ListSection> sections, string button = "Open") => new(N, "A", "m", button, sections, null, null);

    private static ListSection Section(int rows, string title = "t", int offset = 0) =>
        new(title, Enumerable.Range(offset, rows).Select(i => new ListRow("id" + i, "row " + i)));

    [Fact]
    public void List_limits()
    {
        Inside(List([Section(10, S(24))], S(20)));
        Inside(List(Enumerable.Range(0, 10).Select(i => Section(1, "s" + i, i))));
        Inside(List([new ListSection("t", [new ListRow(S(200), S(24), S(72))])]));
        Outside(List([Section(1)], S(21)), "list_obj.button", "20");
        Outside(List([Section(1)], ""), "list_obj.button", "required");
        Outside(List([]), "list_obj.sections", "1 to 10");
        Outside(List(Enumerable.Range(0, 11).Select(i => Section(1, "s" + i, i))), "list_obj.sections", "1 to 10");
        Outside(List([Section(6), Section(5, "u", 6)]), "list_obj.sections", "at most 10");
        Outside(List([Section(1, S(25))]), "list_obj.sections[0].title", "24");
        Outside(List([new ListSection("t", [new ListRow(S(201), "x")])]), "list_obj.sections[0].rows[0].id", "200");
        Outside(List([new ListSection("t", [new ListRow("i", S(25))])]), "list_obj.sections[0].rows[0].title", "24");
        Outside(List([new ListSection("t", [new ListRow("i", "x", S(73))])]), "list_obj.sections[0].rows[0].description", "72");
        Outside(List([new ListSection("t", [])]), "list_obj.sections[0].rows", "1 to 10");
        Outside(List([new ListSection("a", [new ListRow("same", "x")]), new ListSection("b", [new ListRow("same", "y")])]), "list_obj.sections", "unique");
    }

    private static ProductMessageRequest Multi(params ProductSection[] sections) => ProductMessageRequest.Multi(N, "A", "m", sections, null, null);

    [Fact]
    public void Product_limits()
    {
        Inside(ProductMessageRequest.Single(N, "A", "m", "sku1", null));
        Inside(Multi(new ProductSection(S(24), Enumerable.Range(0, 30).Select(i => "sku" + i))));
        Inside(Multi(Enumerable.Range(0, 30).Select(i => new ProductSection("s" + i, ["sku" + i])).ToArray()));
        Outside(ProductMessageRequest.Single(N, "A", "m", "", null), "product_list.product_retailer_id", "required");
        Outside(Multi(), "product_list.sections", "1 to 30");
        Outside(Multi(Enumerable.Range(0, 31).Select(i => new ProductSection("s" + i, ["sku" + i])).ToArray()), "product_list.sections", "1 to 30");
        Outside(Multi(new ProductSection("a", Enumerable.Range(0, 20).Select(i => "a" + i)), new ProductSection("b", Enumerable.Range(0, 11).Select(i => "b" + i))), "product_list.sections", "at most 30");
        Outside(Multi(new ProductSection(S(25), ["x"])), "product_list.sections[0].title", "24");
        Outside(Multi(new ProductSection("t", [])), "product_list.sections[0].product_items", "1 to 30");
    }

    [Fact]
    public void Location_limits()
    {
        Inside(new LocationMessageRequest(N, "A", 90, 180, null, null));
        Inside(new LocationMessageRequest(N, "A", -90, -180, null, null));
        Outside(new LocationMessageRequest(N, "A", 90.0001, 0, null, null), "latitude", "-90 to 90");
        Outside(new LocationMessageRequest(N, "A", 0, -180.5, null, null), "longitude", "-180 to 180");
        Outside(new LocationMessageRequest(N, "A", double.NaN, 0, null, null), "latitude", "-90");
        Assert.True(new LocationMessageRequest(N, "A", 1, 1, null, "street").AddressHidden);
    }

    [Fact]
    public void Media_limits()
    {
        Inside(MediaMessageRequest.Video(N, "A", "https://e.com/v.3gp", "video/3gp", S(1024)));
        Outside(MediaMessageRequest.Video(N, "A", "https://e.com/v.mov", "video/quicktime", null), "mime_type", "video/mp4");
        Outside(MediaMessageRequest.Video(N, "A", "https://e.com/v.mp4", "video/mp4", S(1025)), "caption", "1024");
        Outside(MediaMessageRequest.Document(N, "A", "https://e.com/d.pdf", "application/pdf", "", null), "filename", "required");
        Outside(MediaMessageRequest.Document(N, "A", "https://e.com/d.zip", "application/zip", "d.zip", null), "mime_type", "application/pdf");
        Outside(MediaMessageRequest.Sticker(N, "A", "https://e.com/s.png", "image/png"), "mime_type", "image/webp");
    }

    [Theory]
    [InlineData("https://e.com/a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("https://e.com/a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("https://e.com/a.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")]
    [InlineData("https://e.com/a.TXT", "text/plain")]
    [InlineData("https://e.com/a.doc", "application/msword")]
    [InlineData("https://e.com/a.xls", "application/vnd.ms-excel")]
    [InlineData("https://e.com/a.ppt", "application/vnd.ms-powerpoint")]
    public void Document_types_are_inferred(string url, string mime) =>
        Assert.Equal(mime, Validation.MediaTypes.Resolve(url, null, Validation.MediaTypes.Document));

    [Theory]
    [InlineData("https://e.com/v.mp4", "video/mp4")]
    [InlineData("https://e.com/v.3GP", "video/3gp")]
    public void Video_types_are_inferred(string url, string mime) =>
        Assert.Equal(mime, Validation.MediaTypes.Resolve(url, null, Validation.MediaTypes.Video));
}

public class TemplateDefinitionTests
{
    private static TemplateDefinition Valid() => new() { Name = "t", Category = "Utility", Body = "Hello" };

    private static SobotValidationException Refused(TemplateDefinition d) => Assert.Throws<SobotValidationException>(() => d.ToRequest());

    [Fact]
    public void Limits_of_the_create_body()
    {
        var ok = Valid();
        ok.Name = new string('n', 128); ok.Body = new string('b', 1024); ok.Header = new string('h', 60); ok.Footer = new string('f', 60);
        ok.ToRequest();
        var d = Valid(); d.Name = new string('n', 129); Assert.Equal("Name", Refused(d).Field);
        d = Valid(); d.Body = new string('b', 1025); Assert.Contains("1024", Refused(d).Message);
        d = Valid(); d.Header = new string('h', 61); Assert.Contains("60", Refused(d).Message);
        d = Valid(); d.Header = "*Sale*"; Assert.Contains("markdown", Refused(d).Message);
        d = Valid(); d.Header = "Sale 🎉"; Assert.Contains("emoji", Refused(d).Message);
        d = Valid(); d.Footer = new string('f', 61); Assert.Equal("Footer", Refused(d).Field);
        d = Valid(); d.Category = "Promo"; Assert.Equal("Category", Refused(d).Field);
        d = Valid(); d.QuickReplyButton = ["a", "b", "c", "d"]; Assert.Equal("QuickReplyButton", Refused(d).Field);
        d = Valid(); d.PhoneButtonText = new string('p', 21); d.PhoneButtonNumber = "919561123456"; Assert.Equal("PhoneButtonText", Refused(d).Field);
    }

    [Fact]
    public void Body_examples_must_match_the_variables()
    {
        var d = Valid(); d.Body = "Hi {{1}}, order {{2}}";
        Assert.Contains("exactly 2", Refused(d).Message);
        d.BodyExample = ["Asha"];
        Assert.Contains("gives 1", Refused(d).Message);
        d.BodyExample = ["Asha", "42"];
        d.ToRequest();
        d = Valid(); d.BodyExample = ["x"];
        Assert.Contains("no {{n}} variables", Refused(d).Message);
    }

    [Fact]
    public void Clashes_name_the_parameters()
    {
        var d = Valid(); d.Header = "Hi"; d.HeaderImageExample = "https://e.com/a.jpg";
        Assert.Contains("Header and HeaderImageExample clash", Refused(d).Message);
        d = Valid(); d.QuickReplyButton = ["Yes"]; d.UrlButtonText = "Go"; d.UrlButtonUrl = "https://e.com";
        Assert.Contains("QuickReplyButton and UrlButtonText/UrlButtonUrl clash", Refused(d).Message);
        d = Valid(); d.PhoneButtonText = "Call";
        Assert.Contains("go together", Refused(d).Message);
        d = Valid(); d.UrlButtonText = "Go"; d.UrlButtonUrl = "https://e.com/{{1}}";
        Assert.Equal("UrlButtonExample", Refused(d).Field);
        d = Valid(); d.UrlButtonText = "Go"; d.UrlButtonUrl = "https://e.com/x"; d.UrlButtonExample = "https://e.com/y";
        Assert.Contains("static", Refused(d).Message);
        d = Valid(); d.UrlButtonText = "Go"; d.UrlButtonUrl = "https://e.com/{{1}}/{{2}}"; d.UrlButtonExample = "https://e.com/y";
        Assert.Contains("only one variable", Refused(d).Message);
    }

    [Fact]
    public void Differences_from_the_account_template()
    {
        var d = new TemplateDefinition { Name = "promo", Category = "Marketing", Body = "Sale {{1}}", BodyExample = ["10%"], Footer = "Bye", QuickReplyButton = ["Stop"] };
        var same = new Models.Responses.TemplateRecord
        {
            EntityName = "promo", Category = "MARKETING", Template = "Sale {{1}}", Footer = "Bye", LangCode = "en_US",
            RawButtons = System.Text.Json.JsonDocument.Parse("[\"Stop\"]").RootElement,
        };
        Assert.Empty(d.DifferencesFrom(same));
        same.Template = "Sale {{1}}!";
        same.Footer = null;
        Assert.Equal(["Body", "Footer"], d.DifferencesFrom(same));
    }
}
