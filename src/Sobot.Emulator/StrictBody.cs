using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary>
/// Reads a JSON object the way a strict Sobot would: a key the contract does not name, a null value or
/// a value of the wrong kind is a 400, so the module's tests catch any drift from the contract.
/// </summary>
public sealed class StrictBody
{
    private readonly JsonObject _json;
    private readonly string _where;

    public StrictBody(JsonObject json, string where = "")
    {
        _json = json;
        _where = where;
    }

    public JsonObject Json => _json;

    public static async Task<StrictBody> ReadAsync(HttpRequest request)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            throw new BadRequestException("The request body is not valid JSON.");
        }
        return node is JsonObject obj ? new StrictBody(obj) : throw new BadRequestException("The request body must be a JSON object.");
    }

    public bool Has(string name) => _json.ContainsKey(name);

    public void AllowOnly(params string[] names)
    {
        foreach (var (key, value) in _json)
        {
            if (!names.Contains(key)) throw new BadRequestException($"Unknown field '{_where}{key}'.");
            if (value is null) throw new BadRequestException($"Field '{_where}{key}' must not be null.");
        }
    }

    public string Required(string name, int max = int.MaxValue, int min = 1)
    {
        var value = Optional(name, max) ?? throw new BadRequestException($"Field '{_where}{name}' is required.");
        if (Length(value) < min || string.IsNullOrWhiteSpace(value)) throw new BadRequestException($"Field '{_where}{name}' must not be empty.");
        return value;
    }

    public string? Optional(string name, int max = int.MaxValue)
    {
        if (!_json.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            throw new BadRequestException($"Field '{_where}{name}' must be a string.");
        var s = v.GetValue<string>();
        if (Length(s) > max) throw new BadRequestException($"Field '{_where}{name}' exceeds {max} characters.");
        return s;
    }

    /// <summary>A true/false field; false when left out.</summary>
    public bool Switch(string name)
    {
        if (!_json.TryGetPropertyValue(name, out var node) || node is null) return false;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw new BadRequestException($"Field '{_where}{name}' must be true or false.");
    }

    public string OneOf(string name, params string[] allowed)
    {
        var value = Required(name);
        return allowed.Contains(value) ? value : throw new BadRequestException($"Field '{_where}{name}' must be one of {string.Join(", ", allowed)}.");
    }

    public StrictBody Object(string name)
    {
        if (_json[name] is JsonObject o) return new StrictBody(o, _where + name + ".");
        throw new BadRequestException($"Field '{_where}{name}' is required and must be an object.");
    }

    public IReadOnlyList<JsonNode> Array(string name, int min, int max)
    {
        if (_json[name] is not JsonArray a) throw new BadRequestException($"Field '{_where}{name}' is required and must be an array.");
        if (a.Count < min || a.Count > max) throw new BadRequestException($"Field '{_where}{name}' must hold {min} to {max} items.");
        if (a.Any(n => n is null)) throw new BadRequestException($"Field '{_where}{name}' must not contain null.");
        return a.Select(n => n!).ToList();
    }

    public IReadOnlyList<StrictBody> Objects(string name, int min, int max) =>
        Array(name, min, max).Select((n, i) => n is JsonObject o
            ? new StrictBody(o, $"{_where}{name}[{i}].")
            : throw new BadRequestException($"Field '{_where}{name}[{i}]' must be an object.")).ToList();

    public IReadOnlyList<string> Strings(string name, int min, int max, int maxLength)
    {
        var items = Array(name, min, max).Select((n, i) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new BadRequestException($"Field '{_where}{name}[{i}]' must be a string.")).ToList();
        foreach (var s in items)
            if (Length(s) < 1 || Length(s) > maxLength) throw new BadRequestException($"Each of '{_where}{name}' must be 1 to {maxLength} characters.");
        if (items.Distinct(StringComparer.Ordinal).Count() != items.Count) throw new BadRequestException($"The items of '{_where}{name}' must be unique.");
        return items;
    }

    public double Coordinate(string name, double limit)
    {
        var text = Required(name);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || Math.Abs(v) > limit)
            throw new BadRequestException($"Field '{_where}{name}' must be a number from -{limit} to {limit} sent as a string.");
        return v;
    }

    /// <summary>Characters as WhatsApp counts them: an emoji is one.</summary>
    public static int Length(string s) => s.EnumerateRunes().Count();

    public static bool IsMobile(string? value) =>
        value is { Length: >= 8 and <= 15 } && value.All(char.IsAsciiDigit) && value[0] != '0';
}
