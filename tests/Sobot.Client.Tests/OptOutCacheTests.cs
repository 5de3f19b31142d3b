using System.Text.Json;
using Sobot.Client.PreSend;
using Sobot.Client.Receiver;

namespace Sobot.Client.Tests;

/// <summary>The opt-out list kept on disk per receiver: owner-only, one file per URL, read back exactly or not at all.</summary>
public sealed class OptOutCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sobot-optout-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static OptOutList List(DateTimeOffset readAt, params string[] numbers) =>
        new(numbers.Select(n => new ReceiverOptOut(n, readAt.AddDays(-1), "manual:alice@host")), readAt, OptOutListSource.Receiver);

    [Fact]
    public void Keeps_each_receiver_apart_and_reads_back_the_list_and_when_it_was_read()
    {
        var cache = new OptOutCache(Path.Combine(_root, "SobotPS", "optouts"));
        var readAt = new DateTimeOffset(2026, 11, 25, 13, 0, 0, 123, TimeSpan.Zero);
        cache.Save(new Uri("http://127.0.0.1:5001/"), List(readAt, "919960123456", "15550100"));
        cache.Save(new Uri("https://receiver.example.com/query"), List(readAt, "447700900123"));

        var first = cache.Load(new Uri("http://127.0.0.1:5001"))!;   // the same receiver without its trailing slash
        Assert.Equal(readAt, first.ReadAt);
        Assert.Equal(OptOutListSource.Disk, first.Source);
        Assert.Equal(2, first.Count);
        Assert.NotNull(first.Find("+91 99601-23456"));
        Assert.Null(first.Find("447700900123"));
        Assert.NotNull(cache.Load(new Uri("https://RECEIVER.example.com/query/"))!.Find("447700900123"));
        Assert.Null(cache.Load(new Uri("http://127.0.0.1:5002/")));
        Assert.Equal(2, Directory.GetFiles(cache.Folder).Length);

        // Saved again: replaced, not appended.
        cache.Save(new Uri("http://127.0.0.1:5001/"), List(readAt.AddHours(1), "919960123456"));
        Assert.Equal(1, cache.Load(new Uri("http://127.0.0.1:5001/"))!.Count);
        Assert.Equal(2, Directory.GetFiles(cache.Folder).Length);
    }

    [SkippableFact]
    public void Is_readable_by_its_owner_only_and_holds_only_the_list()
    {
        var cache = new OptOutCache(Path.Combine(_root, "data", "SobotPS", "optouts"));
        var uri = new Uri("http://user:secret@127.0.0.1:5001/?key=abc");
        cache.Save(uri, List(DateTimeOffset.UtcNow, "919960123456"));
        string file = Assert.Single(Directory.GetFiles(cache.Folder));

        string text = File.ReadAllText(file);
        Assert.DoesNotContain("secret", text);
        Assert.DoesNotContain("abc", text);
        using (var json = JsonDocument.Parse(text))
        {
            Assert.Equal(["version", "receiver", "readAt", "optOuts"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("http://127.0.0.1:5001/", json.RootElement.GetProperty("receiver").GetString());
        }

        // On Windows the local application data folder is the user's by its ACL: no mode to check.
        Skip.If(RuntimeQuirks.NoFileModes is not null, RuntimeQuirks.NoFileModes);
        if (OperatingSystem.IsWindows()) return;   // never reached (skipped above); tells the platform analyzer
        const UnixFileMode folderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(folderMode, File.GetUnixFileMode(cache.Folder));
        Assert.Equal(folderMode, File.GetUnixFileMode(Path.Combine(_root, "data", "SobotPS")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        // A folder someone opened up is closed again on the next save.
        File.SetUnixFileMode(cache.Folder, (UnixFileMode)Convert.ToInt32("755", 8));
        cache.Save(uri, List(DateTimeOffset.UtcNow, "919960123456"));
        Assert.Equal(folderMode, File.GetUnixFileMode(cache.Folder));
    }

    [Fact]
    public void A_file_cut_short_or_for_another_receiver_counts_as_no_list()
    {
        var cache = new OptOutCache(_root);
        var uri = new Uri("http://127.0.0.1:5001/");
        cache.Save(uri, List(DateTimeOffset.UtcNow, "919960123456", "15550100"));
        string file = cache.PathFor(uri);
        string whole = File.ReadAllText(file);

        File.WriteAllText(file, whole[..(whole.Length / 2)]);
        Assert.Null(cache.Load(uri));
        File.WriteAllText(file, whole.Replace("http://127.0.0.1:5001/", "http://127.0.0.1:5009/"));
        Assert.Null(cache.Load(uri));
        File.WriteAllText(file, whole.Replace("\"since\"", "\"when\""));
        Assert.Null(cache.Load(uri));
    }
}
