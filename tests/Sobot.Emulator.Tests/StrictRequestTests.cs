using System.Text;

namespace Sobot.Emulator.Tests;

/// <summary>What a strict server refuses before any handler runs: undocumented paths and bodies not declared JSON.</summary>
public class StrictRequestTests
{
    private const string Template = """{"customer_number":"919970585556","customer_name":"A","template_name":"hello_world","template_lang":"en"}""";

    [Theory]
    [InlineData("POST", "message")]
    [InlineData("POST", "Message/")]
    [InlineData("GET", "api/template")]
    [InlineData("POST", "api/template")]
    [InlineData("GET", "api/customer/")]
    [InlineData("POST", "api/customer/")]
    [InlineData("PUT", "api/customer/919970585556/")]
    [InlineData("PUT", "api/customer/")]
    [InlineData("GET", "message/")]
    public async Task A_path_the_contract_does_not_show_is_a_404(string method, string path)
    {
        await using var e = await Emulator.StartAsync();
        var (status, body) = await e.SendAsync(new HttpMethod(method), path, method == "GET" ? null : Template);
        Assert.Equal(404, status);
        Assert.StartsWith("No endpoint at", body["message"]!.GetValue<string>());
        Assert.Empty(e.Host.State.Messages);
    }

    [Theory]
    [InlineData("text/plain", 415)]
    [InlineData("application/x-www-form-urlencoded", 415)]
    [InlineData("application/json; charset=iso-8859-1", 415)]
    [InlineData(null, 415)]
    [InlineData("application/json", 200)]
    [InlineData("application/json; charset=utf-8", 200)]
    [InlineData("Application/JSON; Charset=UTF-8", 200)]
    public async Task A_body_must_be_declared_json(string? contentType, int expected)
    {
        await using var e = await Emulator.StartAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Template));
        if (contentType != null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await e.Api.PostAsync("message/", content);
        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal(expected == 200 ? 1 : 0, e.Host.State.Messages.Count);
    }

    [Theory]
    [InlineData("api/template/", """{"category":"UTILITY","entity_name":"a","template_type":"TEXT","body":"b","lang_code":"en","colour":"red"}""", "Unknown field 'colour'")]
    [InlineData("api/customer", """{"mobile":"919970585556","name":"A","email":null}""", "Field 'email' must not be null")]
    [InlineData("message/", "[1,2]", "must be a JSON object")]
    [InlineData("message/", "{not json", "not valid JSON")]
    public async Task Unknown_keys_nulls_and_broken_json_are_400_on_every_endpoint(string path, string json, string reason)
    {
        await using var e = await Emulator.StartAsync();
        var (status, body) = await e.PostAsync(path, json);
        Assert.Equal((400, 400), (status, body["code"]!.GetValue<int>()));
        Assert.Contains(reason, body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Control_endpoints_refuse_bad_bodies_with_400_too()
    {
        await using var e = await Emulator.StartAsync();
        Assert.Equal(400, (await e.ControlAsync("keys", new { access_key = "a" })).Status);
        Assert.Equal(400, (await e.ControlAsync("inbound", new { from = "12ab" })).Status);
        Assert.Equal(400, (await e.ControlAsync("templates/hello_world/status", new { status = 7 })).Status);
        Assert.Equal(400, (await e.ControlAsync("templates/hello_world/status", new { status = 1, colour = "red" })).Status);
    }
}
