using System.Collections.Generic;
using System.Text.Json;
using Sobot.Client.Models.Responses;

namespace Sobot.Client.Templates
{
    /// <summary>Reads the button fields of a listed template, whose shapes the contract leaves open.</summary>
    internal static class TemplateButtons
    {
        public static IReadOnlyList<string> QuickReplies(JsonElement? element)
        {
            var texts = new List<string>();
            if (element is not { ValueKind: JsonValueKind.Array } array) return texts;
            foreach (var item in array.EnumerateArray())
                texts.Add(item.ValueKind == JsonValueKind.String ? item.GetString() ?? string.Empty
                    : item.ValueKind == JsonValueKind.Object && item.TryGetProperty("text", out var t) ? t.ToString() : item.ToString());
            return texts;
        }

        public static IReadOnlyList<TemplatePhoneButton> Phones(JsonElement? element)
        {
            var buttons = new List<TemplatePhoneButton>();
            if (element is { ValueKind: JsonValueKind.Object } single) buttons.Add(Phone(single));
            else if (element is { ValueKind: JsonValueKind.Array } array)
                foreach (var item in array.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.Object) buttons.Add(Phone(item));
            return buttons;
        }

        private static TemplatePhoneButton Phone(JsonElement item) =>
            new TemplatePhoneButton(item.TryGetProperty("phone_number", out var n) ? n.ToString() : null, item.TryGetProperty("text", out var t) ? t.ToString() : null);
    }
}
