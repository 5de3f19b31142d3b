using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary>A template as the list endpoint returns it.</summary>
public sealed class TemplateItem
{
    public long Id { get; set; }
    public string EntityName { get; set; } = "";
    public string Template { get; set; } = "";
    public string Category { get; set; } = "UTILITY";
    public string? TemplateId { get; set; }
    public string TemplateType { get; set; } = "TEXT";
    public string LangCode { get; set; } = "en";
    public int Status { get; set; }
    public string? Header { get; set; }
    public string? HeaderType { get; set; }
    public string? Footer { get; set; }
    public string? SubType { get; set; }
    public List<string>? Buttons { get; set; }
    public JsonArray? PhoneNumbers { get; set; }
    public string? Url { get; set; }
    public string? UrlName { get; set; }
    public string? Example { get; set; }
    public string? ExampleWebsite { get; set; }
    public string? RejectedReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public long AddedBy { get; set; } = 156;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasDynamicUrl => Url != null && Url.EndsWith("{{1}}", StringComparison.Ordinal);

    /// <summary>The values a send must give for the body: the highest <c>{{n}}</c> in it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int BodyVariables => HighestVariable(Template);

    /// <summary>The values a send must give for a text header: 1 when it holds <c>{{1}}</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int HeaderVariables => HeaderType == "TEXT" && Header != null ? HighestVariable(Header) : 0;

    public static int HighestVariable(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\{(\d+)\}\}")
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    public static int VariableCount(string text) => System.Text.RegularExpressions.Regex.Matches(text, @"\{\{").Count;
}
