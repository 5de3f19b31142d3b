using Sobot.Client.Models.Requests;
using Sobot.Client.Templates;
using Sobot.Client.Validation;
using Sobot.Emulator;

namespace Sobot.Client.Tests;

/// <summary>
/// The emulator keeps the contract's MIME lists and its message and template limits as its own data (it never
/// references the client). These tests hold the two sides to one contract: the same MIME lists, and the same answer
/// just inside and just past each limit the client declares, so neither can drift alone.
/// </summary>
public class EmulatorAgreementTests
{
    private const string N = "919970585556";

    private static string S(int n) => new('a', n);

    [Fact]
    public void The_emulator_allows_the_clients_MIME_types_for_each_media_message()
    {
        Assert.Equal<string>(MediaTypes.Image, MessageEndpoints.ImageTypes);
        Assert.Equal<string>(MediaTypes.Sticker, MessageEndpoints.StickerTypes);
        Assert.Equal<string>(MediaTypes.Video, MessageEndpoints.VideoTypes);
        Assert.Equal<string>(MediaTypes.Document, MessageEndpoints.DocumentTypes);
    }

    [Fact]
    public async Task The_emulator_accepts_what_the_client_accepts_at_and_past_each_limit()
    {
        await using var e = await TestEmulator.StartAsync(o => o.NoWindow = true);
        var disagreements = new List<string>();
        foreach (var (name, request, emulatorAccepts) in Cases())
        {
            var (status, body) = await e.SendAsync(HttpMethod.Post, "message/", SobotJson.Serialize(request));
            if (emulatorAccepts != (status == 200))
                disagreements.Add($"{name}: expected the emulator to {(emulatorAccepts ? "accept" : "refuse")}, it answered {status} {body.ToJsonString()}");
        }
        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }

    /// <summary>
    /// A template the client refuses past a limit has no body to send, so the emulator gets the client's own body at
    /// the limit (which both must accept) and that body with the field one character longer (which both must refuse).
    /// </summary>
    [Fact]
    public async Task The_emulator_creates_templates_up_to_the_clients_limits_and_no_further()
    {
        await using var e = await TestEmulator.StartAsync();
        var limits = new (string Field, int Limit, Action<TemplateDefinition, string> Set)[]
        {
            ("entity_name", TemplateDefinition.MaxNameLength, (d, v) => d.Name = v),
            ("body", TemplateDefinition.MaxBodyLength, (d, v) => d.Body = v),
            ("header", TemplateDefinition.MaxHeaderLength, (d, v) => d.Header = v),
            ("footer", TemplateDefinition.MaxFooterLength, (d, v) => d.Footer = v),
            ("buttons", TemplateDefinition.MaxButtonTextLength, (d, v) => d.QuickReplyButton = [v]),
        };
        var disagreements = new List<string>();
        foreach (var (field, limit, set) in limits)
        {
            TemplateDefinition Definition(int length)
            {
                var d = new TemplateDefinition { Name = "agree_" + field, Category = "Utility", Body = "Hello" };
                set(d, S(length));
                return d;
            }
            Assert.Throws<SobotValidationException>(() => Definition(limit + 1).ToRequest());
            var atLimit = System.Text.Json.Nodes.JsonNode.Parse(SobotJson.Serialize(Definition(limit).ToRequest()))!;
            var pastLimit = atLimit.DeepClone();
            if (field == "buttons") pastLimit["buttons"]![0] = S(limit + 1);
            else pastLimit[field] = S(limit + 1);
            var (refused, _) = await e.SendAsync(HttpMethod.Post, "api/template/", pastLimit.ToJsonString());
            if (refused != 400) disagreements.Add($"{field} {limit + 1}: the client refuses, the emulator answered {refused}");
            var (accepted, body) = await e.SendAsync(HttpMethod.Post, "api/template/", atLimit.ToJsonString());
            if (accepted is < 200 or > 299) disagreements.Add($"{field} {limit}: the client accepts, the emulator answered {accepted} {body.ToJsonString()}");
        }
        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }

    private static bool ClientAccepts(SendMessageRequest request)
    {
        try
        {
            request.Validate();
            return true;
        }
        catch (SobotValidationException)
        {
            return false;
        }
    }

    /// <summary>Each case with what the emulator must answer: what the client says, but for the contract's one documented reading.</summary>
    private static IEnumerable<(string Name, SendMessageRequest Request, bool EmulatorAccepts)> Cases()
    {
        foreach (var (name, request) in Requests())
            yield return (name, request, ClientAccepts(request));

        // The contract's sticker example sends type image with image/webp: the emulator takes it as that sticker, while
        // the client sends a sticker as type sticker and keeps images to the table's JPEG and PNG.
        foreach (var mime in MediaTypes.Sticker)
        {
            var image = MediaMessageRequest.Image(N, "A", "https://e.com/s.webp", mime, null);
            Assert.False(ClientAccepts(image));
            yield return ($"the documented sticker example, image {mime}", image, true);
        }
    }

    private static IEnumerable<(string Name, SendMessageRequest Request)> Requests()
    {
        var mimeTypes = MediaTypes.Image.Concat(MediaTypes.Sticker).Concat(MediaTypes.Video).Concat(MediaTypes.Document)
            .Concat(["image/gif", "video/quicktime", "application/zip"]).Distinct().ToList();
        foreach (var mime in mimeTypes)
        {
            if (!MediaTypes.Sticker.Contains(mime)) yield return ($"image {mime}", MediaMessageRequest.Image(N, "A", "https://e.com/f", mime, null));
            yield return ($"sticker {mime}", MediaMessageRequest.Sticker(N, "A", "https://e.com/f", mime));
            yield return ($"video {mime}", MediaMessageRequest.Video(N, "A", "https://e.com/f", mime, null));
            yield return ($"document {mime}", MediaMessageRequest.Document(N, "A", "https://e.com/f", mime, "f", null));
        }

        foreach (int n in new[] { MediaTypes.MaxCaptionLength, MediaTypes.MaxCaptionLength + 1 })
        {
            yield return ($"image caption {n}", MediaMessageRequest.Image(N, "A", "https://e.com/a.png", "image/png", S(n)));
            yield return ($"video caption {n}", MediaMessageRequest.Video(N, "A", "https://e.com/v.mp4", "video/mp4", S(n)));
            yield return ($"document caption {n}", MediaMessageRequest.Document(N, "A", "https://e.com/d.pdf", "application/pdf", "d.pdf", S(n)));
        }

        foreach (int n in new[] { TextMessageRequest.MaxMessageLength, TextMessageRequest.MaxMessageLength + 1 })
            yield return ($"text {n}", new TextMessageRequest(N, "A", S(n)));

        foreach (int n in new[] { InteractiveMessageRequest.MaxMessageLength, InteractiveMessageRequest.MaxMessageLength + 1 })
            yield return ($"quick reply message {n}", new QuickReplyMessageRequest(N, "A", S(n), ["b"], null, null));
        foreach (int n in new[] { InteractiveMessageRequest.MaxHeaderLength, InteractiveMessageRequest.MaxHeaderLength + 1 })
            yield return ($"quick reply header {n}", new QuickReplyMessageRequest(N, "A", "m", ["b"], S(n), null));
        foreach (int n in new[] { InteractiveMessageRequest.MaxFooterLength, InteractiveMessageRequest.MaxFooterLength + 1 })
            yield return ($"quick reply caption {n}", new QuickReplyMessageRequest(N, "A", "m", ["b"], null, S(n)));
        foreach (int n in new[] { QuickReplyMessageRequest.MaxButtons, QuickReplyMessageRequest.MaxButtons + 1 })
            yield return ($"quick reply {n} buttons", new QuickReplyMessageRequest(N, "A", "m", Enumerable.Range(0, n).Select(i => "b" + i), null, null));
        foreach (int n in new[] { QuickReplyMessageRequest.MaxButtonLength, QuickReplyMessageRequest.MaxButtonLength + 1 })
            yield return ($"quick reply button {n}", new QuickReplyMessageRequest(N, "A", "m", [S(n)], null, null));

        static ListMessageRequest List(IEnumerable<ListSection> sections, string button = "Open", string message = "m") => new(N, "A", message, button, sections, null, null);
        static ListSection Section(string title, int rows, int offset = 0) => new(title, Enumerable.Range(offset, rows).Select(i => new ListRow("id" + i, "row " + i)));
        foreach (int n in new[] { InteractiveMessageRequest.MaxMessageLength, InteractiveMessageRequest.MaxMessageLength + 1 })
            yield return ($"list message {n}", List([Section("s", 1)], message: S(n)));
        foreach (int n in new[] { ListMessageRequest.MaxButtonLength, ListMessageRequest.MaxButtonLength + 1 })
            yield return ($"list button {n}", List([Section("s", 1)], S(n)));
        foreach (int n in new[] { ListMessageRequest.MaxSections, ListMessageRequest.MaxSections + 1 })
            yield return ($"list {n} sections", List(Enumerable.Range(0, n).Select(i => Section("s" + i, 1, i))));
        foreach (int n in new[] { ListMessageRequest.MaxRows, ListMessageRequest.MaxRows + 1 })
        {
            yield return ($"list {n} rows in one section", List([Section("s", n)]));
            yield return ($"list {n} rows in two sections", List([Section("s", n / 2), Section("t", n - n / 2, n / 2)]));
        }
        foreach (int n in new[] { ListSection.MaxTitleLength, ListSection.MaxTitleLength + 1 })
            yield return ($"list section title {n}", List([Section(S(n), 1)]));
        foreach (int n in new[] { ListRow.MaxIdLength, ListRow.MaxIdLength + 1 })
            yield return ($"list row id {n}", List([new ListSection("s", [new ListRow(S(n), "t")])]));
        foreach (int n in new[] { ListRow.MaxTitleLength, ListRow.MaxTitleLength + 1 })
            yield return ($"list row title {n}", List([new ListSection("s", [new ListRow("i", S(n))])]));
        foreach (int n in new[] { ListRow.MaxDescriptionLength, ListRow.MaxDescriptionLength + 1 })
            yield return ($"list row description {n}", List([new ListSection("s", [new ListRow("i", "t", S(n))])]));

        static ProductMessageRequest Multi(IEnumerable<ProductSection> sections) => ProductMessageRequest.Multi(N, "A", "m", sections, null, null);
        foreach (int n in new[] { ProductMessageRequest.MaxSections, ProductMessageRequest.MaxSections + 1 })
            yield return ($"product {n} sections", Multi(Enumerable.Range(0, n).Select(i => new ProductSection("s" + i, ["sku" + i]))));
        foreach (int n in new[] { ProductMessageRequest.MaxProducts, ProductMessageRequest.MaxProducts + 1 })
            yield return ($"product {n} products", Multi([new ProductSection("s", Enumerable.Range(0, n / 2).Select(i => "a" + i)), new ProductSection("t", Enumerable.Range(0, n - n / 2).Select(i => "b" + i))]));
        foreach (int n in new[] { ProductSection.MaxTitleLength, ProductSection.MaxTitleLength + 1 })
            yield return ($"product section title {n}", Multi([new ProductSection(S(n), ["sku"])]));

        foreach (var (latitude, longitude) in new[] { (90.0, 180.0), (-90.0, -180.0), (90.5, 0.0), (0.0, -180.5) })
            yield return ($"location {latitude}, {longitude}", new LocationMessageRequest(N, "A", latitude, longitude, null, null));
    }
}
