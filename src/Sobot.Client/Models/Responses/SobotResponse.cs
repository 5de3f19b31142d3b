using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Sobot.Client.Models.Responses
{
    /// <summary>The envelope every Sobot response shares: <c>code</c> mirrors the HTTP status.</summary>
    public class SobotResponse
    {
        public int? Code { get; set; }
        public string? Message { get; set; }
    }

    /// <summary><c>POST /message/</c> success: <c>data.id</c> is the wamid.</summary>
    public sealed class MessageResponse : SobotResponse
    {
        public MessageData? Data { get; set; }

        /// <summary>
        /// When the request Sobot accepted went out, on this machine's clock (not part of the response). No answer to the
        /// message can come before it; the response itself may come much later, so it is the time an answer is counted from.
        /// </summary>
        [JsonIgnore]
        public DateTimeOffset SentAt { get; internal set; }
    }

    public sealed class MessageData
    {
        public string? Id { get; set; }
        public string? Status { get; set; }
    }

    /// <summary>The paginated list envelope (20 per page) of templates and customers.</summary>
    public sealed class PagedResponse<T> : SobotResponse
    {
        public int Count { get; set; }
        public int Size { get; set; }
        public string? Next { get; set; }
        public string? Previous { get; set; }
        public List<T>? Data { get; set; }
    }
}
