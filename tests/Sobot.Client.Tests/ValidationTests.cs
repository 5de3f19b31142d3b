using Sobot.Client.Models.Requests;
using Sobot.Client.Templates;
using Sobot.Client.Validation;

namespace Sobot.Client.Tests;

/// <summary>Each documented limit: just inside passes, just outside fails naming the field and the limit.</summary>
public class ValidationTests
{
    private const string Number = "919970585556";

    private static SobotValidationException Refused(SendMessageRequest request) => Assert.Throws<SobotValidationException>(request.Validate);

    [Fact]
    public void Text_message_is_at_most_4096_characters()
    {
        new TextMessageRequest(Number, "A", new string('x', 4096)).Validate();
        var ex = Refused(new TextMessageRequest(Number, "A", new string('x', 4097)));
        Assert.Equal("message", ex.Field);
        Assert.Contains("4096", ex.Message);
        Assert.Contains("4097", ex.Message);
    }

    [Fact]
    public void Emoji_count_as_one_character_each()
    {
        new TextMessageRequest(Number, "A", string.Concat(Enumerable.Repeat("😀", 4096))).Validate();
        Refused(new TextMessageRequest(Number, "A", string.Concat(Enumerable.Repeat("😀", 4097))));
    }

    [Fact]
    public void Right_to_left_and_formatted_text_is_sent_as_is()
    {
        var request = new TextMessageRequest(Number, "مريم", "مرحبا *بالعالم* _hi_ ~no~ https://example.com");
        request.Validate();
        Assert.Contains("مرحبا *بالعالم*", SobotJson.Serialize(request));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Text_message_is_required(string text)
    {
        Assert.Equal("message", Refused(new TextMessageRequest(Number, "A", text)).Field);
    }

    [Fact]
    public void Image_caption_is_at_most_1024_characters()
    {
        MediaMessageRequest.Image(Number, "A", "https://e.com/a.png", "image/png", new string('c', 1024)).Validate();
        var ex = Refused(MediaMessageRequest.Image(Number, "A", "https://e.com/a.png", "image/png", new string('c', 1025)));
        Assert.Equal("caption", ex.Field);
        Assert.Contains("1024", ex.Message);
    }

    [Theory]
    [InlineData("image/gif")]
    [InlineData("image/webp")]
    [InlineData("video/mp4")]
    public void Image_mime_type_is_jpeg_or_png(string mime)
    {
        Assert.Equal("mime_type", Refused(MediaMessageRequest.Image(Number, "A", "https://e.com/a", mime, null)).Field);
    }

    [Theory]
    [InlineData("ftp://e.com/a.png")]
    [InlineData("a.png")]
    [InlineData("")]
    public void Image_url_is_an_absolute_http_url(string url)
    {
        Assert.Equal("url", Refused(MediaMessageRequest.Image(Number, "A", url, "image/png", null)).Field);
    }

    [Theory]
    [InlineData("https://e.com/p/photo.JPG", "image/jpeg")]
    [InlineData("https://e.com/p/photo.jpeg?size=large", "image/jpeg")]
    [InlineData("https://e.com/p/logo.png", "image/png")]
    public void Image_mime_type_is_inferred_from_the_extension(string url, string expected)
    {
        Assert.Equal(expected, MediaTypes.Resolve(url, null, MediaTypes.Image));
    }

    [Theory]
    [InlineData("https://e.com/p/anim.gif")]
    [InlineData("https://e.com/p/noextension")]
    [InlineData("https://e.com/p.png/")]
    public void Uninferable_or_unsupported_image_types_are_refused(string url)
    {
        var ex = Assert.Throws<SobotValidationException>(() => MediaTypes.Resolve(url, null, MediaTypes.Image));
        Assert.Contains("image/jpeg, image/png", ex.Message);
    }

    [Theory]
    [InlineData("91997058555a")]
    [InlineData("+919970585556")]
    [InlineData("1234567890123456")]
    public void Customer_number_on_the_wire_is_at_most_15_digits(string number)
    {
        Assert.Equal("customer_number", Refused(new TextMessageRequest(number, "A", "hi")).Field);
    }

    [Fact]
    public void Fifteen_digits_is_the_longest_number_allowed()
    {
        new TextMessageRequest("123456789012345", "A", "hi").Validate();
    }

    [Fact]
    public void Ten_thousand_character_strings_are_refused_not_truncated()
    {
        var ex = Refused(new TextMessageRequest(Number, "A", new string('é', 10_000)));
        Assert.Contains("10000", ex.Message);
    }

    [Fact]
    public void Template_body_parameters_must_not_be_empty()
    {
        Refused(new TemplateMessageRequest(Number, "A", "t", "en", [TemplateComponent.Body(["ok", ""])]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void Url_button_index_is_0_or_1(int index)
    {
        var ex = Refused(new TemplateMessageRequest(Number, "A", "t", "en", [TemplateComponent.UrlButton("x", index)]));
        Assert.Equal("params.button.index", ex.Field);
    }

    [Fact]
    public void Only_one_media_header_per_template_message()
    {
        Refused(new TemplateMessageRequest(Number, "A", "t", "en",
            [TemplateComponent.ImageHeader("https://e.com/a.jpg"), TemplateComponent.VideoHeader("https://e.com/a.mp4")]));
    }

    [Theory]
    [InlineData("Hello", 0)]
    [InlineData("Order {{1}} is {{2}}", 2)]
    [InlineData("{{1}} and again {{1}}", 1)]
    [InlineData("Braces {{ 1 }} with spaces and {{3}}", 3)]
    [InlineData("{not} {{x}}", 0)]
    public void Counts_template_body_variables(string body, int expected)
    {
        Assert.Equal(expected, TemplateBody.CountVariables(body));
    }
}
