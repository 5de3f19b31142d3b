namespace Sobot.Client.Models.Responses
{
    /// <summary>A successful response of <see cref="SobotClient.SendRawAsync"/>.</summary>
    public sealed class RawResponse
    {
        public RawResponse(int statusCode, string body)
        {
            StatusCode = statusCode;
            Body = body;
        }

        public int StatusCode { get; }
        public string Body { get; }
    }
}
