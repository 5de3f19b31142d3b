using Sobot.Client.Models.Responses;
using Sobot.Client.Paging;

namespace Sobot.Client.Tests;

public class PagerTests
{
    private static PagedResponse<int> Page(int number, int last, string host = "https://api.sobot.in") => new()
    {
        Count = last * 2,
        Size = 2,
        Data = [number * 10, number * 10 + 1],
        Next = number < last ? $"{host}/api/template/?status=1&page={number + 1}" : null,
    };

    [Fact]
    public async Task Follows_next_by_page_number_until_it_is_null()
    {
        var asked = new List<int>();
        var items = await Pager.ToListAsync(Pager.EnumerateAsync<int>((p, _) => { asked.Add(p); return Task.FromResult(Page(p, 4)); }));
        Assert.Equal([1, 2, 3, 4], asked);
        Assert.Equal([10, 11, 20, 21, 30, 31, 40, 41], items);
    }

    [Fact]
    public async Task Yields_items_before_the_next_page_is_fetched()
    {
        var asked = new List<int>();
        await using var e = Pager.EnumerateAsync<int>((p, _) => { asked.Add(p); return Task.FromResult(Page(p, 5)); }).GetAsyncEnumerator();
        Assert.True(await e.MoveNextAsync());
        Assert.Equal([1], asked);
    }

    [Fact]
    public async Task A_next_link_that_repeats_a_page_ends_the_walk()
    {
        int calls = 0;
        var items = await Pager.ToListAsync(Pager.EnumerateAsync<int>((p, _) => { calls++; return Task.FromResult(new PagedResponse<int> { Data = [p], Next = "https://x/?page=1" }); }));
        Assert.Equal(1, calls);
        Assert.Equal([1], items);
    }

    [Theory]
    [InlineData("https://api.sobot.in/api/template/?page=2", 2)]
    [InlineData("http://127.0.0.1:5080/api/template/?status=0&page=17", 17)]
    [InlineData("https://api.sobot.in/api/template/?status=1", null)]
    [InlineData("https://api.sobot.in/api/template/", null)]
    [InlineData("?page=abc", null)]
    public void Reads_the_page_number_of_a_link(string link, int? expected)
    {
        Assert.Equal(expected, Pager.PageOf(link));
    }

    [Fact]
    public async Task Cancellation_stops_between_pages()
    {
        using var cts = new CancellationTokenSource();
        var seen = new List<int>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Pager.EnumerateAsync<int>((p, _) => Task.FromResult(Page(p, 9)), cts.Token))
            {
                seen.Add(item);
                cts.Cancel();
            }
        });
        Assert.Equal([10, 11], seen);
    }
}
