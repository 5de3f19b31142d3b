using System;

namespace Sobot.Client
{
    /// <summary>Input that breaks a documented limit; thrown before anything is sent.</summary>
    public sealed class SobotValidationException : SobotException
    {
        public SobotValidationException(string field, string message) : base(message)
        {
            Field = field;
        }

        /// <summary>The contract's field name (e.g. <c>message</c>, <c>customer_number</c>).</summary>
        public string Field { get; }
    }
}
