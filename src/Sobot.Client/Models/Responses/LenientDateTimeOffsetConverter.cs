using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sobot.Client.Models.Responses
{
    /// <summary>
    /// Reads a time the list gives as ISO 8601 text; anything else (null, an empty string, another format)
    /// becomes null rather than failing the whole listing over one undocumented value.
    /// </summary>
    internal sealed class LenientDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
    {
        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String
                && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
                return value;
            if (reader.TokenType == JsonTokenType.StartObject || reader.TokenType == JsonTokenType.StartArray) reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue();
            else writer.WriteStringValue(value.Value.ToString("o", CultureInfo.InvariantCulture));
        }
    }
}
