using System;

namespace Sobot.Client
{
    /// <summary>
    /// The base of everything the client throws about a call or its input: a call that failed
    /// (<see cref="SobotApiException"/>), input that breaks a documented limit
    /// (<see cref="SobotValidationException"/>), a template send that cannot succeed
    /// (<see cref="SobotTemplateException"/>). A send site catches this one type. Never carries the keys.
    /// </summary>
    public abstract class SobotException : Exception
    {
        protected SobotException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
