using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sobot.Emulator;

/// <summary><c>/api/template/</c>: list with status filter and pages; create with the documented rules.</summary>
public static partial class TemplateEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/api/template/", List);
        api.MapPost("/api/template/", Create);
    }

    private static IResult List(HttpRequest request, EmulatorState state)
    {
        var statusText = request.Query["status"].ToString();
        int? status = null;
        if (statusText.Length > 0)
        {
            if (statusText is not ("0" or "1" or "2")) return EmulatorJson.Message("status must be 0, 1 or 2.", 400);
            status = statusText[0] - '0';
        }
        var all = state.Templates.Where(t => status is null || t.Status == status).ToList();
        return EmulatorJson.Page(request, all, EmulatorJson.PageNumber(request),
            p => (status is null ? "" : $"status={status}&") + $"page={p}");
    }

    private static async Task<IResult> Create(HttpRequest request, EmulatorState state)
    {
        var b = await StrictBody.ReadAsync(request);
        b.AllowOnly("category", "entity_name", "template_type", "body", "lang_code", "example_body_param", "example_header_param", "header_type", "header",
            "example", "footer", "buttons", "sub_type", "phone_numbers", "url", "url_name", "example_website", "example_webiste");
        var t = new TemplateItem
        {
            Category = b.OneOf("category", "MARKETING", "UTILITY", "AUTHENTICATION"),
            EntityName = b.Required("entity_name", 128).Replace(' ', '_'),
            TemplateType = b.OneOf("template_type", "TEXT", "MEDIA"),
            Template = b.Required("body", 1024),
            LangCode = b.Required("lang_code"),
            CreatedAt = state.Clock.GetUtcNow(),
        };
        if (!LangCode().IsMatch(t.LangCode)) throw new BadRequestException("Field 'lang_code' must look like en, en_US or hi.");

        int variables = t.BodyVariables;
        if (variables > 0)
        {
            var samples = b.Object("example_body_param");
            samples.AllowOnly("body_text");
            var rows = samples.Array("body_text", 1, 1);
            if (rows[0] is not JsonArray row || row.Count != variables || row.Any(v => v is not JsonValue))
                throw new BadRequestException($"example_body_param.body_text must hold one list of {variables} sample values.");
        }
        else if (b.Has("example_body_param")) throw new BadRequestException("example_body_param is given but the body has no variables.");

        if (b.Has("header_type"))
        {
            t.HeaderType = b.OneOf("header_type", "TEXT", "IMAGE", "VIDEO", "DOCUMENT");
            if (t.HeaderType == "TEXT")
            {
                t.Header = b.Required("header", 60);
                if (t.Header.Any(c => char.IsSurrogate(c)) || t.Header.IndexOfAny(['*', '_', '~']) >= 0)
                    throw new BadRequestException("Field 'header' must not contain emoji or markdown.");
                HeaderSample(b, t);
            }
            else
            {
                if (t.TemplateType != "MEDIA") throw new BadRequestException("An IMAGE, VIDEO or DOCUMENT header needs template_type MEDIA.");
                t.Example = b.Required("example");
            }
        }
        else if (t.TemplateType == "MEDIA") throw new BadRequestException("A MEDIA template needs header_type IMAGE, VIDEO or DOCUMENT.");
        if (b.Has("example_header_param") && t.HeaderVariables == 0) throw new BadRequestException("example_header_param is given but there is no text header with {{1}}.");
        if (b.Has("header") && t.HeaderType != "TEXT") throw new BadRequestException("Field 'header' goes with header_type TEXT.");
        if (b.Has("example") && t.HeaderType is null or "TEXT") throw new BadRequestException("Field 'example' goes with a media header.");

        t.Footer = b.Optional("footer", 60);
        if (b.Has("buttons")) t.Buttons = b.Strings("buttons", 1, 3, 20).ToList();

        bool cta = b.Has("sub_type");
        if (cta) t.SubType = b.OneOf("sub_type", "CTA");
        int ctaButtons = 0;
        if (b.Has("phone_numbers"))
        {
            if (!cta) throw new BadRequestException("phone_numbers needs sub_type CTA.");
            var phones = b.Objects("phone_numbers", 1, 1);
            phones[0].AllowOnly("phone_number", "text");
            if (!StrictBody.IsMobile(phones[0].Required("phone_number"))) throw new BadRequestException("Invalid mobile number");
            phones[0].Required("text", 20);
            t.PhoneNumbers = (JsonArray)b.Json["phone_numbers"]!.DeepClone();
            ctaButtons++;
        }
        if (b.Has("url"))
        {
            if (!cta) throw new BadRequestException("url needs sub_type CTA.");
            t.Url = b.Required("url");
            t.UrlName = b.Required("url_name", 20);
            t.ExampleWebsite = b.Optional("example_website") ?? b.Optional("example_webiste");
            int placeholders = TemplateItem.VariableCount(t.Url);
            if (placeholders > 1 || (placeholders == 1 && !t.HasDynamicUrl))
                throw new BadRequestException("A dynamic url holds a single {{1}} at its end.");
            if (t.HasDynamicUrl && t.ExampleWebsite is null) throw new BadRequestException("A dynamic url needs example_website.");
            ctaButtons++;
        }
        if (cta && ctaButtons == 0) throw new BadRequestException("A CTA template needs a phone number or a url button.");
        if (cta && t.Buttons != null) throw new BadRequestException("A template has either quick-reply buttons or CTA buttons, not both.");

        return state.TryAddTemplate(t)
            ? EmulatorJson.Message("Template created successfully", 201)
            : EmulatorJson.Message("Template with this name already exists", 400);
    }

    /// <summary>
    /// A text header may hold one variable, <c>{{1}}</c>, and then needs its sample in
    /// <c>example_header_param: {"header_text": ["Asha"]}</c> (the shape inferred from example_body_param and WhatsApp's own header_text).
    /// </summary>
    private static void HeaderSample(StrictBody b, TemplateItem t)
    {
        int placeholders = TemplateItem.VariableCount(t.Header!);
        if (placeholders == 0) return;
        if (placeholders > 1 || t.HeaderVariables != 1) throw new BadRequestException("A text header holds at most one variable, {{1}}.");
        var sample = b.Object("example_header_param");
        sample.AllowOnly("header_text");
        sample.Strings("header_text", 1, 1, 60);
    }

    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2})?$")]
    private static partial Regex LangCode();
}
