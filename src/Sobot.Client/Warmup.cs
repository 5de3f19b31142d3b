using System;
using System.Threading.Tasks;
using Sobot.Client.Models.Requests;
using Sobot.Client.Models.Responses;
using Sobot.Client.Validation;

namespace Sobot.Client
{
    /// <summary>
    /// Loads the phone-number metadata and builds the JSON serializers on a background thread, so the
    /// first send of a fresh process (a scheduled task sending one alert) does not wait for them.
    /// </summary>
    public static class Warmup
    {
        private static int _started;

        public static void Start()
        {
            if (System.Threading.Interlocked.Exchange(ref _started, 1) == 1) return;
            Task.Run(() =>
            {
                try
                {
                    new PhoneNumberNormalizer().TryNormalize("919970585556", out _, out _);
                    SobotJson.Serialize(new TextMessageRequest("919970585556", "A", "warm-up"));
                    SobotJson.Serialize(new TemplateMessageRequest("919970585556", "A", "t", "en", new[] { TemplateComponent.Body(new[] { "1" }) }));
                    SobotJson.Deserialize<MessageResponse>("{\"data\":{\"id\":\"w\",\"status\":\"submitted\"},\"code\":200}");
                    SobotJson.Deserialize<PagedResponse<TemplateRecord>>("{\"count\":0,\"data\":[]}");
                }
                catch (Exception)
                {
                    // Warming up is an optimisation only; the real call reports any problem.
                }
            });
        }
    }
}
