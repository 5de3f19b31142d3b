using System;

namespace Sobot.Client
{
    /// <summary>One HTTP exchange, as the cmdlets report it with -Verbose and -Debug. Holds no header.</summary>
    public sealed class SobotTraceEvent
    {
        public SobotTraceEvent(string method, string path, int statusCode, TimeSpan duration, string? requestBody, string? responseBody, string? messageId)
        {
            Method = method;
            Path = path;
            StatusCode = statusCode;
            Duration = duration;
            RequestBody = requestBody;
            ResponseBody = responseBody;
            MessageId = messageId;
        }

        public string Method { get; }
        public string Path { get; }
        /// <summary>0 when no response arrived.</summary>
        public int StatusCode { get; }
        public TimeSpan Duration { get; }
        public string? RequestBody { get; }
        public string? ResponseBody { get; }
        public string? MessageId { get; }

        public string Summary =>
            Method + " " + Path + " -> " + (StatusCode == 0 ? "no response" : StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))
            + " in " + ((int)Duration.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms"
            + (MessageId is null ? string.Empty : " (" + MessageId + ")");
    }
}
