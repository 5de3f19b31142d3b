using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>
    /// Reads the hashtables, PSCustomObjects (Import-Csv, ConvertFrom-Json) and .NET objects people pass as
    /// structured parameters, by property name and case-insensitively.
    /// </summary>
    internal static class InputReader
    {
        /// <summary>
        /// The object under a PSObject wrapper, except for PSCustomObjects, whose properties live on the wrapper.
        /// </summary>
        public static object? Unwrap(object? value) =>
            value is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : value;

        /// <summary>The first of <paramref name="names"/> that <paramref name="source"/> has, or null.</summary>
        public static object? Get(object? source, params string[] names)
        {
            var value = Unwrap(source);
            if (value is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                    if (entry.Key is string key && names.Any(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase)))
                        return Unwrap(entry.Value);
                return null;
            }
            if (source is null) return null;
            var ps = source as PSObject ?? PSObject.AsPSObject(source);
            foreach (var name in names)
            {
                var property = ps.Properties[name];
                if (property != null) return Unwrap(property.Value);
            }
            return null;
        }

        public static string? GetString(object? source, string field, params string[] names)
        {
            var value = Get(source, names);
            if (value is null) return null;
            if (value is string s) return s;
            if (value is IEnumerable && !(value is string))
                throw new SobotValidationException(field, $"'{field}' must be a single value, not a list.");
            return LanguagePrimitives.ConvertTo<string>(value);
        }

        /// <summary>
        /// A list value: an array or collection, or one string split on ';' and ',' (a CSV cell such as "a;b").
        /// </summary>
        public static List<object?> GetList(object? source, params string[] names) => AsList(Get(source, names));

        public static List<object?> AsList(object? value)
        {
            value = Unwrap(value);
            if (value is null) return new List<object?>();
            if (value is string s) return s.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(p => (object?)p.Trim()).ToList();
            if (value is IDictionary) return new List<object?> { value };
            if (value is IEnumerable items) return items.Cast<object?>().Select(Unwrap).ToList();
            return new List<object?> { value };
        }
    }
}
