using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>
    /// Reads -BodyParameter for one row: values as they are, scriptblocks run against the row (so a
    /// scriptblock that throws fails that row, not the pipeline), and says in PowerShell's words what the
    /// commonest mistakes were ($_ without braces, one string with commas, an empty cell).
    /// </summary>
    internal sealed class BodyParameterReader
    {
        private bool _fromScript;
        private string?[] _values = Array.Empty<string?>();

        public IReadOnlyList<string?> Read(object? parameter, PSObject? row, string name = "BodyParameter")
        {
            _fromScript = false;
            var values = new List<string?>();
            foreach (var item in Items(parameter))
            {
                var value = item is PSObject ps ? ps.BaseObject : item;
                if (value is ScriptBlock script)
                {
                    _fromScript = true;
                    System.Collections.ObjectModel.Collection<PSObject> results;
                    try
                    {
                        results = script.InvokeWithContext(null, new List<PSVariable> { new PSVariable("_", row), new PSVariable("PSItem", row) });
                    }
                    catch (Exception ex) when (ex is RuntimeException || ex is ArgumentException || ex is InvalidOperationException)
                    {
                        throw new RowInputException(name, $"-{name} {{ {script.ToString().Trim()} }} failed for this row: {ex.Message}", ex);
                    }
                    if (results.Count == 0) values.Add(null);
                    foreach (var result in results) values.Add(result is null ? null : LanguagePrimitives.ConvertTo<string>(result));
                }
                else
                {
                    values.Add(value is null ? null : LanguagePrimitives.ConvertTo<string>(value));
                }
            }
            _values = values.ToArray();
            return _values;
        }

        private static IEnumerable<object?> Items(object? value)
        {
            var unwrapped = value is PSObject ps ? ps.BaseObject : value;
            if (unwrapped is null) yield break;
            if (unwrapped is string || unwrapped is ScriptBlock || !(unwrapped is IEnumerable items))
            {
                yield return unwrapped;
                yield break;
            }
            foreach (var item in items) yield return item;
        }

        /// <summary>A hint for an error about the body values of the last row read, or an empty string.</summary>
        public string Hint(Exception ex, bool fromPipeline, bool given)
        {
            bool aboutBody = ex is SobotTemplateException || (ex is SobotValidationException v && v.Field.StartsWith("params.body", StringComparison.Ordinal));
            if (!aboutBody) return string.Empty;
            if (fromPipeline && !_fromScript && given && (_values.Length == 0 || _values.Any(string.IsNullOrEmpty)))
                return " If you wrote -BodyParameter $_.Column, put it in braces: -BodyParameter { $_.Column }. Without them $_ is read once, before any row arrives, so every row gets the same (empty) value.";
            if (_values.Length == 1 && _values[0]?.IndexOf(',') >= 0 && ex is SobotTemplateException)
                return $" -BodyParameter got one string with commas ('{_values[0]}'); for several variables pass an array: -BodyParameter 'a', 'b' (or {{ $_.A, $_.B }}).";
            if (_values.Any(string.IsNullOrEmpty) && fromPipeline)
                return " An empty CSV cell gives an empty value: fill it in for this row.";
            return string.Empty;
        }
    }
}
