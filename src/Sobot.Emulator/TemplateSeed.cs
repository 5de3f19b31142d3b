namespace Sobot.Emulator;

/// <summary>The approved templates a fresh emulator holds, one of each kind a script is likely to send.</summary>
public static class TemplateSeed
{
    public static IEnumerable<TemplateItem> Create(DateTimeOffset now)
    {
        TemplateItem Approved(long id, string name, string lang, string body) => new()
        {
            Id = id, EntityName = name, LangCode = lang, Template = body, Status = 1,
            TemplateId = (759559305816228 + id).ToString(System.Globalization.CultureInfo.InvariantCulture),
            CreatedAt = now.AddDays(-30),
        };

        yield return Approved(501, "hello_world", "en", "Hello from Sobot! Thanks for being our customer.");
        yield return Approved(502, "order_update", "en", "Good news: your order {{1}} is on its way.");
        yield return Approved(503, "payment_status", "en", "Dear customer, the payment for order {{1}} is {{2}}.");
        var image = Approved(504, "new_arrivals", "en_US", "Our new collection has arrived. Come take a look!");
        image.TemplateType = "MEDIA";
        image.HeaderType = "IMAGE";
        image.Example = "https://example.com/samples/new-arrivals.jpg";
        image.Category = "MARKETING";
        yield return image;
        var track = Approved(505, "track_order", "en", "Your order {{1}} has shipped. Track it with the button below.");
        track.SubType = "CTA";
        track.Url = "https://shop.example.com/track/{{1}}";
        track.UrlName = "Track order";
        track.ExampleWebsite = "https://shop.example.com/track/8654334";
        yield return track;
        yield return Approved(506, "festival_greeting", "en", "Happy festival season from all of us!");
        yield return Approved(507, "festival_greeting", "hi", "आप सभी को त्योहारों की शुभकामनाएँ!");
        var pending = Approved(508, "spring_sale", "en", "Spring sale: {{1}} off everything this week.");
        pending.Status = 0;
        pending.TemplateId = null;
        pending.Category = "MARKETING";
        yield return pending;
    }
}
