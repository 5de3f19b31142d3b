using System;

namespace SobotPS
{
    /// <summary>A row whose input could not be read (a scriptblock parameter that threw, a value of the wrong shape): nothing is sent for it.</summary>
    public sealed class RowInputException : Exception
    {
        public RowInputException(string parameter, string message, Exception? inner = null) : base(message, inner)
        {
            Parameter = parameter;
        }

        /// <summary>The parameter whose value could not be read, without the dash.</summary>
        public string Parameter { get; }
    }
}
