namespace Sobot.Client
{
    /// <summary>What kind of failure an API call met; the cmdlets turn it into a stable ErrorId.</summary>
    public enum SobotErrorKind
    {
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        RateLimited,
        ServerError,
        Unavailable,
        /// <summary>No usable HTTP response: the connection failed, was dropped or timed out.</summary>
        Transport,
        UnexpectedResponse,
        /// <summary>A 3xx answer: never followed, since the keys would go along to wherever it points.</summary>
        Redirected,
    }
}
