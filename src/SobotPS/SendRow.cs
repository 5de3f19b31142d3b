using System.Globalization;

namespace SobotPS
{
    /// <summary>What a send row's errors and results point back to.</summary>
    internal sealed class SendRow
    {
        private readonly long _index;
        private readonly bool _fromCsv;

        public SendRow(object target, string? number, bool fromPipeline, long index, bool fromCsv)
        {
            Target = target;
            Number = number;
            FromPipeline = fromPipeline;
            _index = index;
            _fromCsv = fromCsv;
        }

        public object Target { get; }

        /// <summary>
        /// "CSV line 13" when the rows come straight from Import-Csv (line 1 is the header), else "input row 12";
        /// made only when a message needs it, not for every row of a bulk run.
        /// </summary>
        public string Label => !FromPipeline ? "the given row"
            : _fromCsv ? "CSV line " + (_index + 1).ToString(CultureInfo.InvariantCulture)
            : "input row " + _index.ToString(CultureInfo.InvariantCulture);

        /// <summary>The number as given.</summary>
        public string? Number { get; }

        public bool FromPipeline { get; }

        /// <summary>The window was closed and -FallbackTemplate went instead.</summary>
        public bool FellBack { get; set; }
    }
}
