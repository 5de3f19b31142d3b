using System.Net;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Sobot.Receiver.Store.Sqlite;
using Sobot.TestSupport;
using Xunit.Abstractions;

namespace Sobot.Receiver.Tests;

/// <summary>
/// The receiver's files against another user of the machine: the store, its -wal and -shm, its lock and state files,
/// and the token and key files are private from the start; a token or key file someone else could read or wrote is
/// not used; a symbolic link beside the store is never written through; a folder others can write is refused. These
/// tests return at once on Windows (no modes there).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFileTests
{
    private static readonly string[] LoopbackPorts = ["--ingress-urls", "http://127.0.0.1:0", "--query-urls", "http://127.0.0.1:0"];
    private static readonly string[] StoreFiles = ["", "-wal", "-shm", ".lock", ".receiver.json", ".token", ".query-key"];
    private static readonly UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;

    private static UnixFileMode Octal(string mode) => (UnixFileMode)Convert.ToInt32(mode, 8);

    /// <summary>The receiver as Start-SobotReceiver runs it (token and key files beside the store), with one webhook stored so that the -wal and -shm exist.</summary>
    private static async Task<ChildReceiver> StartWithOneEventAsync(string store)
    {
        var child = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", store, "--token-file", store + ".token", "--query-key-file", store + ".query-key"]);
        Assert.True((string)child.FirstLine["event"]! == "ready", child.FirstLine.ToJsonString());
        using var http = new HttpClient();
        using var post = await http.PostAsync((string)child.FirstLine["webhookUrl"]!, new StringContent(Payloads.InboundText));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        foreach (string suffix in StoreFiles) Assert.True(File.Exists(store + suffix), $"{store + suffix} was not created");
        return child;
    }

    private static async Task<(string Message, string Path, string Fix)> AssertRefusedStartAsync(ChildReceiver child)
    {
        Assert.Equal("error", (string)child.FirstLine["event"]!);
        Assert.Equal(("unsafePath", 1), ((string)child.FirstLine["reason"]!, (int)child.FirstLine["exitCode"]!));
        await child.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, child.ExitCode);
        string message = (string)child.FirstLine["message"]!;
        Assert.Equal([message], child.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return (message, (string)child.FirstLine["path"]!, (string)child.FirstLine["fix"]!);
    }

    private static async Task<ReceiverHost> StartInProcessAsync(string store, CapturedLogs? logs = null) =>
        await ReceiverHost.StartAsync(new ReceiverOptions
        {
            IngressUrls = [ListenAddress.Parse("test", "http://127.0.0.1:0")],
            QueryUrls = [ListenAddress.Parse("test", "http://127.0.0.1:0")],
            StorePath = store,
        }, new ReceiverSecrets(Receiver.Token, Receiver.QueryKey), logging => logging.AddProvider(logs ?? new CapturedLogs()).SetMinimumLevel(LogLevel.Trace));

    private static ReceiverStartException AssertRefused(Func<Task> start, string path)
    {
        var ex = Assert.ThrowsAnyAsync<Exception>(start).GetAwaiter().GetResult();
        var failure = StartFailure.Describe(ex, commandLine: false);
        Assert.True(failure.Reason == StartFailure.UnsafePath, failure.Message);
        Assert.Equal(path, failure.Path);
        return Assert.IsType<ReceiverStartException>(ex);
    }

    [SkippableFact]
    public async Task What_a_started_receiver_creates_is_0600_in_0700_folders()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var folder = new TempDirectory();
        string store = folder.File("state/receiver/events.db");
        using var child = await StartWithOneEventAsync(store);
        foreach (string suffix in StoreFiles) Assert.True(File.GetUnixFileMode(store + suffix) == Private, $"{store + suffix}: {File.GetUnixFileMode(store + suffix)}");
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(folder.File("state")));
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(folder.File("state/receiver")));
    }

    [SkippableFact]
    public async Task The_second_user_reads_nothing_the_receiver_keeps_as_second_user()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var user = SecondUser.Create();
        using var folder = new TempDirectory();
        string store = folder.File("events.db");
        using var child = await StartWithOneEventAsync(store);
        SecondUser.MakeTraversable(folder.Path);
        File.WriteAllText(folder.File("ordinary.txt"), "anyone");
        Assert.True(user.CanRead(folder.File("ordinary.txt")), "the second user cannot reach the test folder: the test would prove nothing");
        foreach (string suffix in StoreFiles) Assert.False(user.CanRead(store + suffix), $"the second user read {store + suffix}");
        var sqlite = user.As("sh", "-c", "command -v sqlite3 >/dev/null && sqlite3 -readonly \"$1\" 'select count(*) from events' || exit 99", "sh", store);
        Assert.NotEqual(0, sqlite.ExitCode);
    }

    [Fact]
    public async Task The_receiver_process_creates_with_umask_077()
    {
        if (!OperatingSystem.IsLinux()) return; // read from /proc
        using var folder = new TempDirectory();
        using var child = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", folder.File("events.db"), "--token", Receiver.Token, "--query-key", Receiver.QueryKey]);
        Assert.Equal("ready", (string)child.FirstLine["event"]!);
        var umask = File.ReadAllLines($"/proc/{child.ProcessId}/status").Single(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        Assert.Equal("0077", umask.Split(':')[1].Trim());
    }

    [SkippableFact]
    public async Task A_token_or_key_file_others_can_read_stops_the_start_with_chmod_600()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var folder = new TempDirectory();
        string store = folder.File("events.db");
        foreach (string secret in new[] { ".token", ".query-key" })
        {
            File.WriteAllText(store + secret, "readable_0123456789abcdefghijKLMN");
            File.SetUnixFileMode(store + secret, Octal("644"));
            using var child = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", store, "--token-file", store + ".token", "--query-key-file", store + ".query-key"]);
            var (message, path, fix) = await AssertRefusedStartAsync(child);
            Assert.Equal((store + secret, $"chmod 600 '{store + secret}'"), (path, fix));
            Assert.Contains(fix, message);
            Assert.DoesNotContain("readable_0123456789", message);
            File.SetUnixFileMode(store + secret, Private);
        }
        // Made private, they are what the receiver uses.
        using var fixedUp = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", store, "--token-file", store + ".token", "--query-key-file", store + ".query-key"]);
        Assert.Equal(("ready", "readable_0123456789abcdefghijKLMN"), ((string)fixedUp.FirstLine["event"]!, (string)fixedUp.FirstLine["queryKey"]!));
    }

    [SkippableFact]
    public async Task A_token_or_key_file_another_user_put_in_a_shared_folder_stops_the_start_as_second_user()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var user = SecondUser.Create();
        using var folder = new TempDirectory();
        string shared = SecondUser.NewSharedFolder(folder.Path);
        string store = Path.Combine(shared, "events.db");
        foreach (string secret in new[] { ".token", ".query-key" })
        {
            // Private to them: who wrote it gives it away, not its mode.
            user.Plant(store + secret, "planted_0123456789abcdefghijKLMN");
            using var child = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", store, "--token-file", store + ".token", "--query-key-file", store + ".query-key"]);
            var (message, path, _) = await AssertRefusedStartAsync(child);
            Assert.Equal(store + secret, path);
            Assert.Contains($"owned by uid {user.Uid}", message);
            Assert.DoesNotContain("planted_0123456789", message);
            Assert.False(File.Exists(store + ".receiver.json"), "the receiver started");
            File.Delete(store + secret);
        }
    }

    [SkippableFact]
    public async Task A_symbolic_link_beside_the_store_stops_the_start_and_the_file_it_points_at_is_left_as_it_was()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var folder = new TempDirectory();
        string victim = folder.File("victim");
        // Links made by this user in its own folder: the receiver itself must not follow them (fs.protected_symlinks plays no part).
        foreach (string suffix in new[] { "-wal", "-shm", "-journal", ".lock", ".receiver.json" })
        {
            File.WriteAllText(victim, "the victim's own lines\n");
            File.SetUnixFileMode(victim, Octal("644"));
            string store = folder.File($"events{suffix.Replace('.', '_')}.db");
            File.CreateSymbolicLink(store + suffix, victim);
            var ex = AssertRefused(() => StartInProcessAsync(store), store + suffix);
            Assert.Contains("symbolic link", ex.Message);
            Assert.Equal("the victim's own lines\n", File.ReadAllText(victim));
            Assert.Equal(Octal("644"), File.GetUnixFileMode(victim));
        }
        // The store itself may be a link: the user named it, and the file it points at is what is checked and used.
        string target = folder.File("elsewhere/events.db");
        Directory.CreateDirectory(folder.File("elsewhere"));
        File.CreateSymbolicLink(folder.File("linked.db"), target);
        File.WriteAllText(target, "");
        await using (var host = await StartInProcessAsync(folder.File("linked.db")))
        {
            // SQLite is given the target: its side files and the receiver's are beside it, not beside the link.
            Assert.True(File.Exists(target + ".lock"), "no lock beside the link's target");
            Assert.False(File.Exists(folder.File("linked.db.lock")), "a lock beside the link");
        }
        Assert.True(new FileInfo(target).Length > 0);
    }

    [SkippableFact]
    public async Task A_store_link_is_checked_at_its_target_whose_folder_others_can_write_stops_the_start()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var folder = new TempDirectory();
        string mine = folder.File("mine"), open = folder.File("open");
        Directory.CreateDirectory(mine);
        File.SetUnixFileMode(mine, PrivateFolder);
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, Octal("777"));
        string link = Path.Combine(mine, "events.db");
        File.CreateSymbolicLink(link, Path.Combine(open, "events.db"));
        var ex = AssertRefused(() => StartInProcessAsync(link), open);
        Assert.Contains($"chmod go-w '{open}'", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(open));
    }

    [SkippableFact]
    public async Task A_store_link_another_user_owns_stops_the_start_and_what_it_points_at_keeps_its_mode()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var folder = new TempDirectory();
        string victim = folder.File("bashrc");
        File.WriteAllText(victim, "the victim's own lines\n");
        File.SetUnixFileMode(victim, Octal("644"));
        // In a folder no one else can write, so that the kernel's protection of links in sticky folders plays no part.
        string theirs = folder.File("theirs.db");
        File.CreateSymbolicLink(theirs, victim);
        SecondUser.GiveAway(theirs);
        var ex = AssertRefused(() => StartInProcessAsync(theirs), theirs);
        Assert.Contains("uid 65534", ex.Message);
        Assert.Equal(Octal("644"), File.GetUnixFileMode(victim));

        // A link of ours to a file that is not a SQLite database: the start fails, and its mode is not changed either.
        string ours = folder.File("ours.db");
        File.CreateSymbolicLink(ours, victim);
        await Assert.ThrowsAnyAsync<Exception>(() => StartInProcessAsync(ours));
        Assert.Equal(Octal("644"), File.GetUnixFileMode(victim));
        Assert.Equal("the victim's own lines\n", File.ReadAllText(victim));
    }

    [SkippableFact]
    public async Task A_store_folder_others_can_write_stops_the_start_with_chmod_go_w_sticky_or_not()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var folder = new TempDirectory();
        string open = folder.File("open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, Octal("777"));
        var ex = AssertRefused(() => StartInProcessAsync(Path.Combine(open, "events.db")), open);
        Assert.Contains($"chmod go-w '{open}'", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(open));

        using var child = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", Path.Combine(open, "events.db"), "--token-file", Path.Combine(open, "token"), "--query-key", Receiver.QueryKey]);
        var (message, path, fix) = await AssertRefusedStartAsync(child);
        Assert.Equal((open, $"chmod go-w '{open}'"), (path, fix));
        Assert.Empty(Directory.GetFileSystemEntries(open));

        // Sticky, like /tmp, is not enough: SQLite creates its -wal and -shm there by name during the run.
        File.SetUnixFileMode(open, Octal("1777"));
        ex = AssertRefused(() => StartInProcessAsync(Path.Combine(open, "events.db")), open);
        Assert.Contains($"chmod go-w '{open}'", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(open));

        File.SetUnixFileMode(open, Octal("1755"));
        await using (await StartInProcessAsync(Path.Combine(open, "events.db"))) { }
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(open, "events.db")));
    }

    [SkippableFact]
    public async Task A_wal_file_another_user_put_beside_the_store_stops_the_start_as_second_user()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var user = SecondUser.Create();
        using var folder = new TempDirectory();
        // In a shared sticky folder they could make it between the check and SQLite's open: that folder is refused.
        string shared = SecondUser.NewSharedFolder(folder.Path);
        string store = Path.Combine(shared, "events.db");
        var ex = AssertRefused(() => StartInProcessAsync(store), shared);
        Assert.Contains("sticky bit is not enough", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(shared));
        // One they could once write (now closed) that still holds their -wal: that file is refused.
        user.Plant(store + "-wal", "", umask: "000");
        File.SetUnixFileMode(shared, Octal("755"));
        ex = AssertRefused(() => StartInProcessAsync(store), store + "-wal");
        Assert.Contains($"owned by uid {user.Uid}", ex.Message);
        Assert.False(File.Exists(store), "the store was created");
    }

    [SkippableFact]
    public async Task Store_files_an_older_receiver_left_readable_by_everyone_are_made_0600_with_a_warning_and_keep_their_events()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var folder = new TempDirectory();
        string store = folder.File("events.db");
        await using (var first = await StartInProcessAsync(store))
        {
            using var http = new HttpClient();
            using var post = await http.PostAsync(first.WebhookUrl(Receiver.Token), new StringContent(Payloads.InboundText));
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }
        var older = new[] { store, store + ".lock", store + ".receiver.json" };
        foreach (string file in older) File.SetUnixFileMode(file, Octal("644"));
        var logs = new CapturedLogs();
        await using (var second = await StartInProcessAsync(store, logs))
        {
            foreach (string file in older)
            {
                Assert.Equal(Private, File.GetUnixFileMode(file));
                Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains(file + " could be read by other users", StringComparison.Ordinal));
            }
            Assert.Single(await second.Store.ReadEventsAsync(new Store.EventQuery()));
        }
        // One other users can write is not tightened but refused: someone may have changed it.
        File.SetUnixFileMode(store, Octal("666"));
        var ex = AssertRefused(() => StartInProcessAsync(store), store);
        Assert.Contains($"chmod go-w '{store}'", ex.Message);
    }
}
