using Sobot.Client.Webhooks;

namespace Sobot.Receiver.Tests;

/// <summary>The client's reader of query API answers against what the receiver really writes: the contract the cmdlets stand on.</summary>
public class ClientReaderTests
{
    [Fact]
    public async Task Events_from_the_query_api_read_back_into_the_parser_s_typed_objects()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.InboundText);
        await r.DeliverAsync(Payloads.VideoUnderImageKey);
        await r.DeliverAsync(Payloads.ButtonReply("wamid.R1", "919960123456", "Yes", contextId: "wamid.QUESTION"));
        await r.DeliverAsync(Payloads.Failed("wamid.F", 1692947519, "919960123456"));
        await r.DeliverAsync("not json");

        var page = SobotReceiverEventReader.ReadPage(await r.Query.GetStringAsync("v1/events"));
        Assert.Equal(5, page.Next);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], page.Events.Select(e => e.Seq!.Value));
        Assert.All(page.Events, e => Assert.InRange(e.ReceivedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1)));

        // Each stored inbound event equals what the parser makes of the body, field by field.
        var direct = SobotWebhookParser.Parse(Payloads.InboundText).Cast<SobotInboundMessage>().Single();
        var text = Assert.IsType<SobotInboundMessage>(page.Events[0]);
        Assert.Equal((direct.MessageId, direct.From, direct.Name, direct.Timestamp, direct.Type, direct.Text, direct.DisplayPhoneNumber, direct.RawJson),
            (text.MessageId, text.From, text.Name, text.Timestamp, text.Type, text.Text, text.DisplayPhoneNumber, text.RawJson));
        var video = Assert.IsType<SobotInboundMessage>(page.Events[1]);
        Assert.Equal(("video", "777", "video/mp4"), (video.Type, video.Media!.Id, video.Media.MimeType));
        var button = Assert.IsType<SobotInboundMessage>(page.Events[2]);
        Assert.Equal(("Yes", "wamid.QUESTION", "918788000000"), (button.ButtonText, button.ReplyToMessageId, button.ContextFrom));
        var failed = Assert.IsType<SobotMessageStatus>(page.Events[3]);
        Assert.Equal(("failed", 131026, "Message undeliverable", "919960123456"), (failed.Status, failed.ErrorCode!.Value, failed.ErrorTitle, failed.RecipientId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692947519), failed.Timestamp);
        Assert.Equal("not json", Assert.IsType<SobotUnknownWebhookEvent>(page.Events[4]).RawJson);

        var latest = SobotReceiverEventReader.ReadStatus(await r.Query.GetStringAsync("v1/status/wamid.F"));
        Assert.Equal(("wamid.F", "failed", 131026, 4L), (latest.MessageId, latest.Status, latest.ErrorCode!.Value, latest.Seq!.Value));
        using var batch = await r.Query.PostAsync("v1/status/query", new StringContent("""{"messageIds":["wamid.F","wamid.none"]}"""));
        Assert.Equal(["wamid.F"], SobotReceiverEventReader.ReadStatuses(await batch.Content.ReadAsStringAsync()).Select(s => s.MessageId));
    }
}
