using Sobot.Client.Receiver;

namespace Sobot.Client.Tests;

/// <summary>
/// What customers write stays data: escaped for the console (DisplayText), inert for a spreadsheet (SpreadsheetText);
/// and the receiver's settings: its key held to the Sobot keys' rule, its webhook URL never shown with its token.
/// </summary>
public class CustomerTextTests
{
    private const string Esc = "\u001b";

    [Theory]
    [InlineData("Asha\u001b]0;pwned\u0007", "Asha\\x1B]0;pwned\\x07")]
    [InlineData("\u001b[2J\rX", "\\x1B[2J\\x0DX")]
    [InlineData("a\nb\tc", "a\\x0Ab\\x09c")]
    [InlineData("del\u007f c1\u009b31m", "del\\x7F c1\\x9B31m")]
    [InlineData("\u202eexe.txt \u2066x\u2069", "\\u202Eexe.txt \\u2066x\\u2069")]
    [InlineData("Asha Patil, +91 99705-85556 ✓ नमस्ते", "Asha Patil, +91 99705-85556 ✓ नमस्ते")]
    [InlineData(@"C:\temp\x1B", @"C:\temp\x1B")]
    public void A_one_line_cell_shows_every_control_character_escaped(string text, string shown) =>
        Assert.Equal(shown, DisplayText.Escape(text));

    [Fact]
    public void A_multi_line_cell_keeps_line_breaks_and_tabs_and_escapes_the_rest()
    {
        Assert.Equal("one\ntwo\tthree\nfour\\x0Dfive\\x1B[2J", DisplayText.EscapeLines("one\r\ntwo\tthree\nfour\rfive" + Esc + "[2J"));
        Assert.Equal(string.Empty, DisplayText.Escape(null));
        for (int c = 0; c < 0x2100; c++)
        {
            string shown = DisplayText.Escape(((char)c).ToString());
            bool control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
            Assert.Equal(control, shown.Length > 1);
            Assert.DoesNotContain(shown, ch => ch < 0x20 || (ch >= 0x7F && ch <= 0x9F) || (ch >= 0x202A && ch <= 0x202E) || (ch >= 0x2066 && ch <= 0x2069));
        }
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", true)]
    [InlineData("+cmd|' /C calc'!A0", true)]
    [InlineData("@SUM(1)", true)]
    [InlineData("-2+3", true)]
    [InlineData("\t=1", true)]
    [InlineData("\r=1", true)]
    [InlineData("Asha", false)]
    [InlineData("919970585556", false)]
    [InlineData(" =1", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(string? text, bool formula)
    {
        Assert.Equal(formula, SpreadsheetText.StartsFormula(text));
        Assert.Equal(formula ? "'" + text : text, SpreadsheetText.Inert(text));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/webhook/EXAMPLE-token-EXAMPLE-token00", "http://127.0.0.1:8080/webhook/****en00")]
    [InlineData("https://hooks.example.com/sobot/WebHook/EXAMPLE-token-EXAMPLE-token00/", "https://hooks.example.com/sobot/WebHook/****en00/")]
    [InlineData("http://127.0.0.1:8080/webhook//EXAMPLE-token-EXAMPLE-token00", "http://127.0.0.1:8080/webhook//****en00")]
    [InlineData("http://127.0.0.1:8080/webhook;x/EXAMPLE-token-EXAMPLE-token00", "http://127.0.0.1:8080/webhook;x/****en00")]
    [InlineData("https://user:pw@hooks.example.com/webhook/EXAMPLE-token-EXAMPLE-token00?x=1#f", "https://hooks.example.com/webhook/****en00")]
    public void A_webhook_url_is_recognised_and_shown_without_its_token(string url, string shown)
    {
        Assert.True(ReceiverUrls.IsWebhookUrl(new Uri(url)));
        Assert.Equal(shown, ReceiverUrls.Mask(new Uri(url)));
        Assert.Equal(shown, ReceiverUrls.Mask(url));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8081/")]
    [InlineData("https://hooks.example.com/receiver/")]
    [InlineData("https://hooks.example.com/webhook")]
    [InlineData("https://hooks.example.com/webhook/")]
    [InlineData("https://hooks.example.com/webhooks/x")]
    public void A_query_url_is_not_taken_for_a_webhook_url_and_shows_as_it_is(string url)
    {
        Assert.False(ReceiverUrls.IsWebhookUrl(new Uri(url)));
        Assert.Equal(new Uri(url).GetLeftPart(UriPartial.Path), ReceiverUrls.Mask(new Uri(url)));
    }

    [Fact]
    public void The_receiver_client_refuses_its_webhook_url_saying_where_each_goes_without_the_token()
    {
        const string token = "EXAMPLE-token-EXAMPLE-tokenWXYZ";
        var ex = Assert.Throws<ArgumentException>(() => new SobotReceiverOptions(new Uri("http://127.0.0.1:8080/webhook/" + token), TestEmulator.Secure("query-key-0123456789abcdef")));
        Assert.Equal("queryUri", ex.ParamName);
        Assert.DoesNotContain(token, ex.Message);
        Assert.Contains("http://127.0.0.1:8080/webhook/****WXYZ is the receiver's webhook URL", ex.Message);
        Assert.Contains("Sobot portal", ex.Message);
        Assert.Contains("query API", ex.Message);
    }

    [Theory]
    [InlineData("query-key-0123456789\r\nX-Injected: 1")]
    [InlineData("query-key-0123456789\nabc")]
    [InlineData("query key 0123456789abc")]
    [InlineData("query-key-0123456789\u0000abc")]
    public void The_receiver_key_with_a_control_character_or_space_inside_is_refused_without_repeating_it(string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SobotReceiverOptions(new Uri("http://127.0.0.1:8081/"), TestEmulator.Secure(key)));
        Assert.Equal("key", ex.ParamName);
        Assert.Contains("receiver's query key holds a control character or whitespace", ex.Message);
        Assert.DoesNotContain("query-key-0123456789", ex.Message);
    }

    [Fact]
    public void The_receiver_key_is_trimmed_with_a_notice_as_the_sobot_keys_are()
    {
        var options = new SobotReceiverOptions(new Uri("http://127.0.0.1:8081/"), TestEmulator.Secure("  query-key-0123456789abcdef\r\n"));
        Assert.Equal("query-key-0123456789abcdef", SecureText.Reveal(options.Key));
        Assert.Contains("trimmed", Assert.Single(options.Notices));
        Assert.Empty(new SobotReceiverOptions(new Uri("http://127.0.0.1:8081/"), TestEmulator.Secure("query-key-0123456789abcdef")).Notices);
        var credential = new SobotCredential(" access-key\n", TestEmulator.Secure("secret-key\r\n"));
        Assert.Equal(2, credential.Notices.Count);
    }
}
