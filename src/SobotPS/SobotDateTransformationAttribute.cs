using System;
using System.Globalization;
using System.Management.Automation;

namespace SobotPS
{
    /// <summary>
    /// Accepts a DateTime, or the text forms a CSV holds (yyyy-MM-dd, dd-MM-yyyy, dd/MM/yyyy), and an empty
    /// cell as "not given", so one blank cell does not fail a whole row's binding.
    /// </summary>
    public sealed class SobotDateTransformationAttribute : ArgumentTransformationAttribute
    {
        private static readonly string[] Formats = { "yyyy-MM-dd", "dd-MM-yyyy", "dd/MM/yyyy", "yyyy/MM/dd", "d-M-yyyy", "d/M/yyyy", "o", "s" };

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = InputReader.Unwrap(inputData);
            if (value is null || value is DateTime) return value;
            if (value is DateTimeOffset offset) return offset.DateTime;
            string text = value.ToString()!.Trim();
            if (text.Length == 0) return null;
            if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)) return date;
            throw new ArgumentTransformationMetadataException($"'{text}' is not a date; use yyyy-MM-dd or dd-MM-yyyy.");
        }
    }
}
