using System.Text;
using Sobot.Client.Bulk;
using Sobot.Client.PreSend;
using Sobot.Client.Receiver;
using Sobot.TestSupport;
using Xunit.Abstractions;

namespace Sobot.Client.Tests;

/// <summary>
/// Files that hold customer data or secrets, attacked as another user of the machine would: reading them, planting a
/// symbolic link or a file of their own where one is written, opening a folder up. No modes on Windows: these tests
/// return there at once.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFilesTests : IDisposable
{
    private static readonly UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;
    private readonly string _root = Directory.CreateTempSubdirectory("sobot-owner-only-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder(string name, string mode)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32(mode, 8));
        return folder;
    }

    private string Victim(string content = "the victim's own lines\n")
    {
        string victim = Path.Combine(_root, "victim-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(victim, content);
        return victim;
    }

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);

    [SkippableFact]
    public void What_it_creates_is_0600_in_0700_folders_whatever_the_umask_gives()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        string deep = Path.Combine(_root, "a", "b", "c");
        OwnerOnlyFiles.CreateMissingFolder(deep);
        foreach (var folder in new[] { Path.Combine(_root, "a"), Path.Combine(_root, "a", "b"), deep })
            Assert.Equal(PrivateFolder, File.GetUnixFileMode(folder));
        using (OwnerOnlyFiles.OpenReadWrite(Path.Combine(deep, "receiver.log"))) { }
        using (SendJournal.Open(Path.Combine(deep, "campaign.jsonl"))) { }
        OwnerOnlyFiles.Write(Path.Combine(deep, "report.html"), "<html></html>");
        Assert.True(OwnerOnlyFiles.TryCreateSecret(Path.Combine(_root, "new", "token"), "a-secret-0123456789abcdefgh"));
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(Path.Combine(_root, "new")));
        foreach (var file in new[] { "receiver.log", "campaign.jsonl", "report.html" })
            Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(deep, file)));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(_root, "new", "token")));
        // Written whole and renamed into place: no temporary file is left beside it.
        Assert.Equal(["campaign.jsonl", "receiver.log", "report.html"], Directory.GetFiles(deep).Select(Path.GetFileName).Order());
    }

    [SkippableFact]
    public void A_symbolic_link_where_a_journal_log_report_or_side_file_goes_is_refused_and_its_target_is_left_as_it_was()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        // Made here by this user in a folder no one else can write: what is tested is that the link is not followed,
        // not any protection the kernel gives links in shared folders (fs.protected_symlinks).
        string folder = Folder("links", "755");
        var attempts = new (string Name, Action<string> Write)[]
        {
            ("journal", path => SendJournal.Open(path).Dispose()),
            ("log", path => OwnerOnlyFiles.OpenReadWrite(path).Dispose()),
            ("report", path => OwnerOnlyFiles.Write(path, "<html>report</html>")),
            ("side file", path => OwnerOnlyFiles.CheckFile(path, followLink: false)),
        };
        foreach (var (name, write) in attempts)
        {
            foreach (string content in new[] { "", "the victim's own lines\n" })
            {
                string victim = Victim(content);
                File.SetUnixFileMode(victim, (UnixFileMode)Convert.ToInt32("644", 8));
                string link = Path.Combine(folder, name + "-" + Guid.NewGuid().ToString("N"));
                File.CreateSymbolicLink(link, victim);
                var ex = Assert.Throws<UnsafePathException>(() => write(link));
                Assert.Equal(link, ex.Path);
                Assert.Contains("symbolic link", ex.Message);
                Assert.Contains($"rm '{link}'", ex.Message);
                Assert.Equal(content, File.ReadAllText(victim));
                Assert.Equal("644", Mode(victim));
                Assert.True(new FileInfo(link).LinkTarget is not null, "the link itself was replaced");
            }
        }
    }

    [SkippableFact]
    public void A_folder_others_can_write_is_refused_with_the_fix_unless_it_is_sticky_like_tmp()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        foreach (string mode in new[] { "777", "775", "757" })
        {
            string open = Folder("open-" + mode, mode);
            string journal = Path.Combine(open, "campaign.jsonl");
            var ex = Assert.Throws<UnsafePathException>(() => SendJournal.Open(journal));
            Assert.Equal((open, $"chmod go-w '{open}'"), (ex.Path, ex.Fix));
            Assert.Contains("can be written by other users", ex.Message);
            Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.Write(Path.Combine(open, "report.html"), "x"));
            Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.TryCreateSecret(Path.Combine(open, "token"), "a-secret-0123456789abcdefgh"));
            Assert.Empty(Directory.GetFileSystemEntries(open));
        }
        string sticky = Folder("sticky", "1777");
        using (SendJournal.Open(Path.Combine(sticky, "campaign.jsonl"))) { }
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(sticky, "campaign.jsonl")));
    }

    [SkippableFact]
    public void A_journal_or_log_others_can_write_is_refused_with_the_fix_and_one_they_can_only_read_is_made_private_only_when_asked()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        string journal = Path.Combine(_root, "campaign.jsonl");
        File.WriteAllText(journal, "");
        File.SetUnixFileMode(journal, (UnixFileMode)Convert.ToInt32("666", 8));
        var ex = Assert.Throws<UnsafePathException>(() => SendJournal.Open(journal));
        Assert.Equal((journal, $"chmod go-w '{journal}'"), (ex.Path, ex.Fix));
        Assert.Equal("", File.ReadAllText(journal));

        // A log an older version left 0644: made 0600 and told, when the caller asks (a journal keeps the mode its owner gave it).
        string log = Path.Combine(_root, "receiver.log");
        File.WriteAllText(log, "old lines\n");
        File.SetUnixFileMode(log, (UnixFileMode)Convert.ToInt32("644", 8));
        var told = new List<string>();
        using (var stream = OwnerOnlyFiles.OpenReadWrite(log, tightened: told.Add)) Assert.Equal(10, stream.Length);
        Assert.Equal([log], told);
        Assert.Equal(Private, File.GetUnixFileMode(log));
        File.SetUnixFileMode(log, (UnixFileMode)Convert.ToInt32("640", 8));
        using (OwnerOnlyFiles.OpenReadWrite(log)) { }
        Assert.Equal("640", Mode(log));
    }

    [SkippableFact]
    public void A_secret_file_others_can_read_is_refused_with_chmod_600_as_ssh_refuses_a_private_key()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        string token = Path.Combine(_root, "receiver.token");
        File.WriteAllText(token, "tok_0123456789abcdefghijKLMNOP");
        foreach (string mode in new[] { "644", "640", "604", "660" })
        {
            File.SetUnixFileMode(token, (UnixFileMode)Convert.ToInt32(mode, 8));
            var ex = Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.ReadSecret(token));
            Assert.Equal((token, $"chmod 600 '{token}'"), (ex.Path, ex.Fix));
            Assert.DoesNotContain("tok_0123456789", ex.Message);
        }
        File.SetUnixFileMode(token, Private);
        Assert.Equal("tok_0123456789abcdefghijKLMNOP", OwnerOnlyFiles.ReadSecret(token));
        // The user named it: a link to a private file is followed, and the file it points at is what is checked.
        string link = Path.Combine(_root, "token-link");
        File.CreateSymbolicLink(link, token);
        Assert.Equal("tok_0123456789abcdefghijKLMNOP", OwnerOnlyFiles.ReadSecret(link));
        File.SetUnixFileMode(token, (UnixFileMode)Convert.ToInt32("644", 8));
        Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.ReadSecret(link));
        // An existing one is never overwritten by a new secret.
        Assert.False(OwnerOnlyFiles.TryCreateSecret(token, "another-secret-0123456789abc"));
        Assert.Equal("tok_0123456789abcdefghijKLMNOP", File.ReadAllText(token));
    }

    [SkippableFact]
    public void A_journal_another_user_made_in_a_shared_folder_is_refused_and_no_row_it_claims_is_trusted_as_second_user()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var user = SecondUser.Create();
        string shared = SecondUser.NewSharedFolder(_root);
        string journal = Path.Combine(shared, "campaign.jsonl");
        // The other user writes a journal that says the rows were sent, and leaves it writable by everyone.
        string forged = JournalRecord.Header + "\n" + "{\"k\":\"row-1#1\",\"s\":\"S\",\"n\":\"919970585556\",\"id\":\"wamid.FORGED\",\"t\":1}\n";
        user.Plant(journal, forged, umask: "000");
        var ex = Assert.Throws<UnsafePathException>(() => SendJournal.Open(journal));
        Assert.Equal(journal, ex.Path);
        Assert.Contains($"owned by uid {user.Uid}", ex.Message);
        Assert.Contains($"rm '{journal}'", ex.Message);
        Assert.Equal(forged, File.ReadAllText(journal));

        // The same refusal for a private one of theirs: what matters is who wrote it.
        user.Plant(journal + ".2", forged);
        Assert.Contains($"owned by uid {user.Uid}", Assert.Throws<UnsafePathException>(() => SendJournal.Open(journal + ".2")).Message);
    }

    [SkippableFact]
    public void A_token_or_key_file_another_user_put_in_a_shared_folder_is_refused_as_second_user()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var user = SecondUser.Create();
        string shared = SecondUser.NewSharedFolder(_root);
        string key = Path.Combine(shared, "events.db.query-key");
        // Private to them, as a careful attacker would make it: the owner is what gives it away.
        user.Plant(key, "planted_key_0123456789abcdef");
        var ex = Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.ReadSecret(key));
        Assert.Equal(key, ex.Path);
        Assert.Contains($"owned by uid {user.Uid}", ex.Message);
        Assert.DoesNotContain("planted_key", ex.Message);
        Assert.False(OwnerOnlyFiles.TryCreateSecret(key, "our-own-secret-0123456789abc"));
    }

    [SkippableFact]
    public void The_second_user_can_read_none_of_what_is_written_as_second_user()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        using var user = SecondUser.Create();
        string folder = Folder("work", "755");
        SecondUser.MakeTraversable(folder);
        // The same folder lets them read a file made the ordinary way: the test can see a leak.
        string ordinary = Path.Combine(folder, "ordinary.txt");
        File.WriteAllText(ordinary, "anyone");
        Assert.True(user.CanRead(ordinary), "the second user cannot reach the test folder: the test would prove nothing");

        string journal = Path.Combine(folder, "campaign.jsonl"), log = Path.Combine(folder, "receiver.log"), report = Path.Combine(folder, "report.html");
        string token = Path.Combine(folder, "receiver.token");
        using (var j = SendJournal.Open(journal)) j.RecordSent("row-1#1", "919970585556", "wamid.A");
        using (var l = OwnerOnlyFiles.OpenReadWrite(log)) l.Write(Encoding.UTF8.GetBytes("919970585556 my OTP is 424242\n"));
        OwnerOnlyFiles.Write(report, "<html>919970585556</html>");
        OwnerOnlyFiles.TryCreateSecret(token, "tok_0123456789abcdefghijKLMNOP");
        var cache = new OptOutCache(Path.Combine(folder, "data", "SobotPS", "optouts"));
        cache.Save(new Uri("http://127.0.0.1:5001/"), new OptOutList([new ReceiverOptOut("919970585556", DateTimeOffset.UtcNow, "STOP")], DateTimeOffset.UtcNow, OptOutListSource.Receiver));
        SecondUser.MakeTraversable(cache.Folder);
        foreach (string file in new[] { journal, log, report, token, cache.PathFor(new Uri("http://127.0.0.1:5001/")) })
            Assert.False(user.CanRead(file), $"the second user read {file}");
    }

    private static string MakeFifo(string path)
    {
        var made = System.Diagnostics.Process.Start("mkfifo", ["--", path])!;
        made.WaitForExit();
        Assert.Equal(0, made.ExitCode);
        return path;
    }

    /// <summary>Runs what may hang on a FIFO with a generous deadline, so that a hang fails the test instead of holding the run.</summary>
    private static Exception? Within30Seconds(Action action)
    {
        var attempt = Task.Run(action);
        Assert.True(Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(30))).GetAwaiter().GetResult() == attempt, "it hung (a FIFO was opened)");
        return attempt.Exception?.InnerException;
    }

    private string ValidJournal(string folder, string name)
    {
        string journal = Path.Combine(folder, name);
        using (var j = SendJournal.Open(journal)) j.RecordSent("row-1#1", "919970585556", "wamid.A");
        return journal;
    }

    [SkippableFact]
    public void Opening_a_file_that_is_not_a_journal_as_a_journal_changes_nothing_in_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        string folder = Folder("notes", "700");
        foreach (string content in new[] { "my notes\nthe last line, without its line end", "my notes\n{\"k\":\"row-1#1\",\"s\":\"Sent\"}", "{\"journal\":\"Sobot" + new string('x', 60) })
        {
            string notes = Path.Combine(folder, "notes-" + Guid.NewGuid().ToString("N") + ".txt");
            File.WriteAllText(notes, content);
            File.SetUnixFileMode(notes, Private);
            var ex = Assert.Throws<JournalUnusableException>(() => SendJournal.Open(notes));
            Assert.Contains("is not a SobotPS send journal", ex.Message);
            Assert.Equal(content, File.ReadAllText(notes));
        }
    }

    [SkippableFact]
    public void A_journal_an_older_version_left_readable_by_everyone_is_made_0600_and_said_so()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        string journal = ValidJournal(Folder("older", "755"), "campaign.jsonl");
        File.SetUnixFileMode(journal, (UnixFileMode)Convert.ToInt32("644", 8));
        using (var reopened = SendJournal.Open(journal))
        {
            Assert.Contains("readable by this user only", reopened.Repair);
            Assert.Single(reopened.Previous);
        }
        Assert.Equal(Private, File.GetUnixFileMode(journal));
        using (var again = SendJournal.Open(journal)) Assert.Null(again.Repair);
    }

    [SkippableFact]
    public void A_journal_or_state_file_read_must_be_a_regular_file_of_this_user_that_others_cannot_write()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        string folder = Folder("readers", "755");
        string journal = ValidJournal(folder, "campaign.jsonl");
        Assert.Single(SendJournal.Read(journal));
        Assert.Equal(File.ReadAllBytes(journal), OwnerOnlyFiles.ReadOwned(journal));

        string fifo = MakeFifo(Path.Combine(folder, "fifo.jsonl"));
        Assert.IsType<UnsafePathException>(Within30Seconds(() => SendJournal.Read(fifo)));
        Assert.IsType<UnsafePathException>(Within30Seconds(() => OwnerOnlyFiles.ReadOwned(fifo)));

        string link = Path.Combine(folder, "link.jsonl");
        File.CreateSymbolicLink(link, journal);
        var linked = Assert.Throws<UnsafePathException>(() => SendJournal.Read(link));
        Assert.Contains("symbolic link", linked.Message);
        Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.ReadOwned(link));

        string writable = ValidJournal(folder, "writable.jsonl");
        File.SetUnixFileMode(writable, (UnixFileMode)Convert.ToInt32("666", 8));
        var open = Assert.Throws<UnsafePathException>(() => SendJournal.Read(writable));
        Assert.Equal($"chmod go-w '{writable}'", open.Fix);

        string theirs = ValidJournal(folder, "theirs.jsonl");
        SecondUser.GiveAway(theirs);
        var owned = Assert.Throws<UnsafePathException>(() => SendJournal.Read(theirs));
        Assert.Contains("owned by uid 65534", owned.Message);
        Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.ReadOwned(theirs));
    }

    [SkippableFact]
    public void A_token_file_that_is_a_symbolic_link_another_user_owns_is_refused()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        // A folder no one else can write, so that the kernel's protection of links in sticky folders plays no part.
        string folder = Folder("secret-links", "755");
        string secret = Path.Combine(folder, "real.token");
        Assert.True(OwnerOnlyFiles.TryCreateSecret(secret, "our-own-secret-0123456789abc"));
        string ours = Path.Combine(folder, "ours.token"), theirs = Path.Combine(folder, "theirs.token");
        File.CreateSymbolicLink(ours, secret);
        File.CreateSymbolicLink(theirs, secret);
        Assert.Equal("our-own-secret-0123456789abc", OwnerOnlyFiles.ReadSecret(ours));
        SecondUser.GiveAway(theirs);
        var ex = Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.ReadSecret(theirs));
        Assert.Equal(theirs, ex.Path);
        Assert.Contains("uid 65534", ex.Message);
    }

    [SkippableFact]
    public void A_folder_above_that_others_can_write_or_another_user_owns_is_refused_naming_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows keeps no file modes: the files take the folder's access list.");
        string ww = Folder("ww", "777");
        string mine = Directory.CreateDirectory(Path.Combine(ww, "mine")).FullName;
        File.SetUnixFileMode(mine, PrivateFolder);
        var ex = Assert.Throws<UnsafePathException>(() => SendJournal.Open(Path.Combine(mine, "campaign.jsonl")));
        Assert.Equal((ww, $"chmod go-w '{ww}'"), (ex.Path, ex.Fix));
        Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.CheckFolder(mine));
        Assert.Empty(Directory.GetFileSystemEntries(mine));

        // Sticky above, like /tmp: allowed.
        File.SetUnixFileMode(ww, (UnixFileMode)Convert.ToInt32("1777", 8));
        using (SendJournal.Open(Path.Combine(mine, "campaign.jsonl"))) { }

        string theirs = Folder("theirs", "755");
        string below = Directory.CreateDirectory(Path.Combine(theirs, "below")).FullName;
        SecondUser.GiveAway(theirs);
        var owned = Assert.Throws<UnsafePathException>(() => OwnerOnlyFiles.Write(Path.Combine(below, "report.html"), "x"));
        Assert.Equal(theirs, owned.Path);
        Assert.Contains("uid 65534", owned.Message);
    }
}
