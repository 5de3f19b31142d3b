using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sobot.Client
{
    /// <summary>The serializer settings of the wire format: snake_case names, no null-valued keys.</summary>
    public static class SobotJson
    {
        public static readonly JsonSerializerOptions Options = Create();

        private static JsonSerializerOptions Create()
        {
            var options = new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
                NumberHandling = JsonNumberHandling.AllowReadingFromString,
                PropertyNameCaseInsensitive = true,
                // Names, captions and bodies are user text in any script: keep it readable in -Debug output.
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            };
            options.MakeReadOnly(populateMissingResolver: true);
            return options;
        }

        public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

        public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
    }
}
