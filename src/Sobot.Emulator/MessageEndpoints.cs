namespace Sobot.Emulator;

/// <summary><c>POST /message/</c>: every free-form type and template messages, with the contract's limits.</summary>
public static class MessageEndpoints
{
    private static readonly string[] Common = ["customer_number", "customer_name"];

    // The contract's MIME types per media message. Data the emulator keeps apart from the client's own lists (it never
    // references the client): the client's tests check the two agree.
    public static IReadOnlyList<string> ImageTypes { get; } = ["image/jpeg", "image/png"];
    public static IReadOnlyList<string> StickerTypes { get; } = ["image/webp"];
    public static IReadOnlyList<string> VideoTypes { get; } = ["video/mp4", "video/3gp"];
    public static IReadOnlyList<string> DocumentTypes { get; } =
    [
        "text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/message/", Send);
    }

    private static async Task<IResult> Send(HttpRequest request, EmulatorState state, WebhookSender webhooks)
    {
        var body = await StrictBody.ReadAsync(request);
        string number = body.Optional("customer_number") ?? throw new BadRequestException("Field 'customer_number' is required.");
        if (!StrictBody.IsMobile(number)) throw new BadRequestException("Invalid mobile number");
        string name = body.Required("customer_name");

        string kind;
        string? templateName = null;
        if (body.Has("type"))
        {
            kind = ValidateFreeForm(body);
            if (!state.WindowOpen(number))
                throw new BadRequestException("Free-form messages can be sent only within 24 hours of the customer's last message; send a template message instead.");
        }
        else
        {
            templateName = ValidateTemplate(body, state);
            kind = "template";
        }

        var accepted = state.AcceptMessage(number, name, kind, templateName, body.Json);
        webhooks.MessageAccepted(accepted);
        return Results.Json(new { data = new { id = accepted.Id, status = "submitted" }, message = "Message sent successfully.", code = 200 });
    }

    private static string ValidateFreeForm(StrictBody b)
    {
        string type = b.Required("type");
        switch (type)
        {
            case "text":
                b.AllowOnly([.. Common, "type", "message"]);
                b.Required("message", 4096);
                break;
            case "image":
                // The contract's sticker example sends type image with image/webp (its table says type sticker): such a
                // body is that sticker and follows a sticker's rules; any other image is JPEG or PNG.
                if (b.Json["mime_type"] is System.Text.Json.Nodes.JsonValue mime && mime.TryGetValue(out string? given) && StickerTypes.Contains(given))
                    Media(b, StickerTypes, caption: false);
                else
                    Media(b, ImageTypes, caption: true);
                break;
            case "sticker":
                Media(b, StickerTypes, caption: false);
                break;
            case "video":
                Media(b, VideoTypes, caption: true);
                break;
            case "document":
                b.AllowOnly([.. Common, "type", "url", "mime_type", "filename", "caption"]);
                Url(b);
                b.OneOf("mime_type", [.. DocumentTypes]);
                b.Required("filename");
                b.Optional("caption", 1024);
                break;
            case "location":
                b.AllowOnly([.. Common, "type", "latitude", "longitude", "location_name", "address"]);
                b.Coordinate("latitude", 90);
                b.Coordinate("longitude", 180);
                b.Optional("location_name");
                b.Optional("address");
                break;
            case "quick_reply":
                b.AllowOnly([.. Common, "type", "message", "buttons", "header", "caption"]);
                b.Required("message", 1024);
                b.Strings("buttons", 1, 3, 20);
                b.Optional("header", 60);
                b.Optional("caption", 60);
                break;
            case "list":
                b.AllowOnly([.. Common, "type", "message", "list_obj", "header", "caption"]);
                b.Required("message", 1024);
                b.Optional("header", 60);
                b.Optional("caption", 60);
                List(b.Object("list_obj"));
                break;
            case "product":
                b.AllowOnly([.. Common, "type", "message", "product_list", "header", "caption"]);
                b.Required("message", 1024);
                b.Optional("header", 60);
                b.Optional("caption", 60);
                Products(b.Object("product_list"));
                break;
            default:
                throw new BadRequestException($"Unknown message type '{type}'.");
        }
        return type;
    }

    private static void Media(StrictBody b, IReadOnlyList<string> mimeTypes, bool caption)
    {
        b.AllowOnly(caption ? [.. Common, "type", "url", "mime_type", "caption"] : [.. Common, "type", "url", "mime_type"]);
        Url(b);
        b.OneOf("mime_type", [.. mimeTypes]);
        if (caption) b.Optional("caption", 1024);
    }

    private static void Url(StrictBody b)
    {
        var url = b.Required("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new BadRequestException("Field 'url' must be a public http(s) URL.");
    }

    private static void List(StrictBody list)
    {
        list.AllowOnly("button", "sections");
        list.Required("button", 20);
        int rows = 0;
        foreach (var section in list.Objects("sections", 1, 10))
        {
            section.AllowOnly("title", "rows");
            section.Required("title", 24);
            foreach (var row in section.Objects("rows", 1, 10))
            {
                row.AllowOnly("id", "title", "description");
                row.Required("id", 200);
                row.Required("title", 24);
                row.Optional("description", 72);
                rows++;
            }
        }
        if (rows > 10) throw new BadRequestException("A list message holds at most 10 rows across all sections.");
    }

    private static void Products(StrictBody list)
    {
        if (list.Has("product_retailer_id"))
        {
            list.AllowOnly("product_retailer_id");
            list.Required("product_retailer_id");
            return;
        }
        list.AllowOnly("sections");
        int products = 0;
        foreach (var section in list.Objects("sections", 1, 30))
        {
            section.AllowOnly("title", "product_items");
            section.Required("title", 24);
            foreach (var item in section.Objects("product_items", 1, 30))
            {
                item.AllowOnly("product_retailer_id");
                item.Required("product_retailer_id");
                products++;
            }
        }
        if (products > 30) throw new BadRequestException("A multi-product message holds at most 30 products in total.");
    }

    private static string ValidateTemplate(StrictBody b, EmulatorState state)
    {
        b.AllowOnly([.. Common, "template_name", "template_lang", "params"]);
        string name = b.Required("template_name");
        string lang = b.Required("template_lang");
        var template = state.FindTemplate(name, lang) ?? throw new BadRequestException($"Template '{name}' with language '{lang}' does not exist.");
        if (template.Status != 1) throw new BadRequestException($"Template '{name}' is not approved.");

        int bodyValues = 0;
        int headerValues = 0;
        string? headerKind = null;
        bool urlButton = false;
        if (b.Has("params"))
        {
            foreach (var component in b.Objects("params", 1, 3))
            {
                switch (component.Required("type"))
                {
                    case "body":
                        component.AllowOnly("type", "parameters");
                        var values = component.Objects("parameters", 1, 100);
                        foreach (var v in values)
                        {
                            v.AllowOnly("type", "text");
                            v.OneOf("type", "text");
                            v.Required("text");
                        }
                        bodyValues += values.Count;
                        break;
                    case "header":
                        if (headerKind != null || headerValues > 0) throw new BadRequestException("Field 'params' holds more than one header component.");
                        component.AllowOnly("type", "parameters");
                        var header = component.Objects("parameters", 1, 1)[0];
                        var headerType = header.OneOf("type", "text", "image", "video", "document");
                        if (headerType == "text")
                        {
                            header.AllowOnly("type", "text");
                            header.Required("text", 60);
                            headerValues++;
                            break;
                        }
                        headerKind = headerType;
                        header.AllowOnly("type", headerKind);
                        var media = header.Object(headerKind);
                        media.AllowOnly(headerKind == "document" ? ["link", "filename"] : ["link"]);
                        Url(new StrictBody(new System.Text.Json.Nodes.JsonObject { ["url"] = media.Required("link") }));
                        if (headerKind == "document") media.Optional("filename");
                        break;
                    case "button":
                        component.AllowOnly("type", "sub_type", "index", "parameters");
                        component.OneOf("sub_type", "url");
                        if (component.Json["index"] is not System.Text.Json.Nodes.JsonValue idx || !idx.TryGetValue(out int index) || index is < 0 or > 1)
                            throw new BadRequestException("Field 'params[].index' must be the number 0 or 1.");
                        var p = component.Objects("parameters", 1, 1)[0];
                        p.AllowOnly("type", "text");
                        p.OneOf("type", "text");
                        p.Required("text");
                        urlButton = true;
                        break;
                    default:
                        throw new BadRequestException("Field 'params[].type' must be body, header or button.");
                }
            }
        }

        if (template.BodyVariables != bodyValues)
            throw new BadRequestException($"Template '{name}' expects {template.BodyVariables} body parameters; {bodyValues} given.");
        if (template.HeaderVariables != headerValues)
            throw new BadRequestException($"Template '{name}' expects {template.HeaderVariables} header parameters; {headerValues} given.");
        if (template.TemplateType == "MEDIA" && !string.Equals(headerKind, template.HeaderType, StringComparison.OrdinalIgnoreCase))
            throw new BadRequestException($"Template '{name}' needs a {template.HeaderType!.ToLowerInvariant()} header parameter.");
        if (template.TemplateType != "MEDIA" && headerKind != null)
            throw new BadRequestException($"Template '{name}' has no media header.");
        if (template.HasDynamicUrl != urlButton)
            throw new BadRequestException(urlButton ? $"Template '{name}' has no dynamic URL button." : $"Template '{name}' needs the URL button parameter.");
        return name;
    }
}
