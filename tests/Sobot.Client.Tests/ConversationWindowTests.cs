using Sobot.Client.Receiver;

namespace Sobot.Client.Tests;

/// <summary>The 24-hour window from a receiver's last-inbound answer and a clock.</summary>
public class ConversationWindowTests
{
    private static readonly DateTimeOffset Last = new(2026, 11, 24, 13, 0, 0, TimeSpan.Zero);
    private static readonly ReceiverLastInbound Answer = new("919960123456", Last, "wamid.LAST");

    [Fact]
    public void A_number_that_never_wrote_has_no_window()
    {
        var window = ConversationWindow.Compute("+91 9960123456", null, Last);
        Assert.False(window.IsOpen);
        Assert.Null(window.LastInboundAt);
        Assert.Null(window.ExpiresAt);
        Assert.Equal("+91 9960123456", window.CustomerNumber);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(60, true)]
    [InlineData(24 * 3600 - 1, true)]
    [InlineData(24 * 3600, false)]
    [InlineData(24 * 3600 + 1, false)]
    [InlineData(7 * 24 * 3600, false)]
    public void The_window_is_open_for_24_hours_after_the_last_inbound(int secondsLater, bool open)
    {
        var window = ConversationWindow.Compute("919960123456", Answer, Last.AddSeconds(secondsLater));
        Assert.Equal(open, window.IsOpen);
        Assert.Equal(Last, window.LastInboundAt);
        Assert.Equal(Last.AddHours(24), window.ExpiresAt);
    }

    [Fact]
    public void A_clock_behind_the_message_still_counts_the_window_open()
    {
        // The phone's clock or ours may be off by a little; a message "from the future" opened a window all the same.
        Assert.True(ConversationWindow.Compute("919960123456", Answer, Last.AddMinutes(-2)).IsOpen);
    }

    [Fact]
    public void Offsets_do_not_matter_only_instants()
    {
        var nowInIndia = new DateTimeOffset(2026, 11, 25, 18, 29, 59, TimeSpan.FromHours(5.5));
        Assert.True(ConversationWindow.Compute("919960123456", Answer, nowInIndia).IsOpen);
        Assert.False(ConversationWindow.Compute("919960123456", Answer, nowInIndia.AddSeconds(1)).IsOpen);
    }
}
