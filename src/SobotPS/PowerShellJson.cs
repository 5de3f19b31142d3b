using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace SobotPS
{
    /// <summary>Between PowerShell values (hashtables, PSCustomObjects, arrays) and JSON, for Invoke-SobotApi.</summary>
    internal static class PowerShellJson
    {
        private const int MaxDepth = 64;

        /// <summary>A JSON text: strings are taken as JSON already; anything else is serialized.</summary>
        public static string Serialize(object value)
        {
            if (InputReader.Unwrap(value) is string text) return text;
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                Write(writer, value, 0);
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static void Write(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > MaxDepth) throw new ArgumentException("The body nests deeper than " + MaxDepth + " levels.");
            var psObject = value as PSObject;
            value = InputReader.Unwrap(value);
            switch (value)
            {
                case null: writer.WriteNullValue(); return;
                case string s: writer.WriteStringValue(s); return;
                case char c: writer.WriteStringValue(c.ToString()); return;
                case bool b: writer.WriteBooleanValue(b); return;
                case SwitchParameter sw: writer.WriteBooleanValue(sw.IsPresent); return;
                case DateTime d: writer.WriteStringValue(d.ToString("o", CultureInfo.InvariantCulture)); return;
                case DateTimeOffset o: writer.WriteStringValue(o.ToString("o", CultureInfo.InvariantCulture)); return;
                case Enum e: writer.WriteStringValue(e.ToString()); return;
                case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); return;
                case ulong ul: writer.WriteNumberValue(ul); return;
                case float _: case double _: writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); return;
                case decimal m: writer.WriteNumberValue(m); return;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(entry.Key?.ToString() ?? string.Empty);
                        Write(writer, entry.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IEnumerable items:
                    writer.WriteStartArray();
                    foreach (var item in items) Write(writer, item, depth + 1);
                    writer.WriteEndArray();
                    return;
            }
            writer.WriteStartObject();
            foreach (var property in (psObject ?? PSObject.AsPSObject(value)).Properties)
            {
                if (!property.IsGettable) continue;
                writer.WritePropertyName(property.Name);
                Write(writer, property.Value, depth + 1);
            }
            writer.WriteEndObject();
        }

        /// <summary>JSON as PowerShell reads it: objects become PSCustomObjects, arrays object[], numbers long or double.</summary>
        public static object? ToPowerShell(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var result = new PSObject();
                    foreach (var property in element.EnumerateObject())
                        result.Properties.Add(new PSNoteProperty(property.Name, ToPowerShell(property.Value)));
                    return result;
                case JsonValueKind.Array:
                    var list = new List<object?>();
                    foreach (var item in element.EnumerateArray()) list.Add(ToPowerShell(item));
                    return list.ToArray();
                case JsonValueKind.String: return element.GetString();
                case JsonValueKind.Number: return element.TryGetInt64(out long l) ? (object)l : element.GetDouble();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                default: return null;
            }
        }
    }
}
