using System.Net;

namespace Sobot.Receiver.Tests;

public class OptionsTests
{
    [Fact]
    public void Defaults_listen_on_loopback_only()
    {
        var o = ReceiverOptions.Parse([]);
        Assert.Equal("http://127.0.0.1:8080", o.IngressUrls.Single().ToUrl(o.IngressUrls.Single().Port));
        Assert.Equal("http://127.0.0.1:8081", o.QueryUrls.Single().ToUrl(o.QueryUrls.Single().Port));
        Assert.Empty(o.AllowIp);
        Assert.Empty(o.TrustedProxies);
        Assert.False(o.Handshake);
    }

    [Fact]
    public void Every_option_is_read()
    {
        string[] first =
        [
            "--ingress-urls", "http://0.0.0.0:8080,https://[::]:8443", "--query-urls", "http://127.0.0.1:9000",
            "--store", "x.db", "--token-file", "t", "--query-key-file", "k",
            "--allow-ip", "203.0.113.0/24,10.1.2.3", "--allow-ip", "2001:db8::/32", "--trusted-proxy", "127.0.0.1",
            "--certificate", "c.pem", "--certificate-key", "k.pem", "--certificate-password-file", "p", "--handshake", "--log-format", "json", "--log-level", "warning",
        ];
        // The options the first set excludes (secrets given inline, PostgreSQL) and the rest.
        string[] second =
        [
            "--store", "postgres", "--connection-string", "Host=db", "--token", "tok", "--query-key", "key", "--exit-with-pid", "4242",
            "--retention-days", "30", "--max-waits", "12", "--refusal-summary-seconds", "7",
        ];
        // Read by tests of their own: the consent words (OptOutApiTests), the connection string file (PostgresOptionsTests);
        // copy-store's options and --help are not the receiver's.
        string[] elsewhere = ["--stop-words", "--start-words", "--connection-string-file", "--from", "--to-connection-string-file", "--help"];
        var documented = System.Text.RegularExpressions.Regex.Matches(ReceiverOptions.Usage, "--[a-z][a-z-]*").Select(m => m.Value).ToHashSet();
        Assert.Empty(documented.Except(first).Except(second).Except(elsewhere));

        var p = ReceiverOptions.Parse(second);
        Assert.Equal((true, "Host=db", "tok", "key", (int?)4242), (p.UsePostgres, p.ConnectionString, p.Token, p.QueryKey, p.ExitWithPid));
        Assert.Equal(((int?)30, 12, TimeSpan.FromSeconds(7)), (p.RetentionDays, p.MaxWaits, p.RefusalSummaryInterval));

        var o = ReceiverOptions.Parse(first);
        Assert.Equal(["http://0.0.0.0:8080", "https://[::]:8443"], o.IngressUrls.Select(a => a.ToUrl(a.Port)));
        Assert.True(o.IngressUrls.All(a => a.IsWildcard));
        Assert.Equal("https://127.0.0.1:8443", o.IngressUrls[1].ToLocalUrl(8443));
        Assert.Equal(("x.db", "t", "k", "c.pem", "k.pem", "p"), (o.StorePath, o.TokenFile!, o.QueryKeyFile!, o.CertificatePath!, o.CertificateKeyPath!, o.CertificatePasswordFile!));
        Assert.Equal(3, o.AllowIp.Count);
        Assert.True(o.AllowIp[1].Contains(IPAddress.Parse("10.1.2.3")));
        Assert.False(o.AllowIp[1].Contains(IPAddress.Parse("10.1.2.4")));
        Assert.True(o.Handshake && o.JsonLogs);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, o.LogLevel);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--store")]
    [InlineData("--ingress-urls", "ftp://127.0.0.1:1")]
    [InlineData("--ingress-urls", "http://example.com:80")]
    [InlineData("--ingress-urls", "http://localhost:0")]
    [InlineData("--ingress-urls", "http://127.0.0.1:70000")]
    [InlineData("--ingress-urls", "http://127.0.0.1:9000", "--query-urls", "http://127.0.0.1:9000")]
    [InlineData("--query-urls", "https://127.0.0.1:9001")]
    [InlineData("--allow-ip", "10.0.0.0/99")]
    [InlineData("--allow-ip", "somewhere")]
    [InlineData("--token", "a", "--token-file", "b")]
    [InlineData("--log-format", "xml")]
    [InlineData("--log-level", "loud")]
    public void Mistakes_are_errors_that_say_what_is_wrong(params string[] args) =>
        Assert.False(string.IsNullOrEmpty(Assert.Throws<ArgumentException>(() => ReceiverOptions.Parse(args)).Message));

    [Fact]
    public void Max_waits_defaults_to_256_and_takes_a_whole_number_from_1()
    {
        Assert.Equal(256, ReceiverOptions.Parse([]).MaxWaits);
        Assert.Equal(1000, ReceiverOptions.Parse(["--max-waits", "1000"]).MaxWaits);
        foreach (var bad in new[] { "0", "-1", "many", "1e3" })
            Assert.Contains("--max-waits", Assert.Throws<ArgumentException>(() => ReceiverOptions.Parse(["--max-waits", bad])).Message);
        Assert.Contains("--max-waits N", ReceiverOptions.Usage);
        Assert.Equal(TimeSpan.FromSeconds(5), ReceiverOptions.Parse(["--refusal-summary-seconds", "5"]).RefusalSummaryInterval);
    }

    [Fact]
    public void Generated_secrets_carry_256_bits_and_are_url_safe()
    {
        var secrets = Enumerable.Range(0, 50).Select(_ => ReceiverSecrets.Resolve(ReceiverOptions.Parse(["--handshake"]), _ => null)).ToList();
        Assert.All(secrets, s =>
        {
            Assert.Equal(43, s.Token.Length);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", s.Token);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", s.QueryKey);
            Assert.NotEqual(s.Token, s.QueryKey);
        });
        // Drawn afresh each time: 100 secrets, 100 values (a fixed or weakly seeded source would repeat).
        Assert.Equal(100, secrets.SelectMany(s => new[] { s.Token, s.QueryKey }).Distinct().Count());
        Assert.Equal(100, secrets.SelectMany(s => new[] { s.Token, s.QueryKey }).Distinct().Count());
    }

    [Fact]
    public void Without_a_secret_or_the_handshake_the_receiver_refuses_to_start()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReceiverSecrets.Resolve(ReceiverOptions.Parse([]), _ => null));
        Assert.Contains("--token", ex.Message);
    }

    [Fact]
    public void Secrets_come_from_options_then_files_then_the_environment()
    {
        var env = new Dictionary<string, string?>
        {
            [ReceiverOptions.TokenVariable] = "env-token-0123456789abcdefgh",
            [ReceiverOptions.QueryKeyVariable] = "env-key-0123456789abcdefghij",
        };
        var fromEnvironment = ReceiverSecrets.Resolve(ReceiverOptions.Parse([]), name => env.GetValueOrDefault(name));
        Assert.Equal(("env-token-0123456789abcdefgh", "env-key-0123456789abcdefghij"), (fromEnvironment.Token, fromEnvironment.QueryKey));
        var fromOptions = ReceiverSecrets.Resolve(ReceiverOptions.Parse(["--token", "opt-token-0123456789abcdefgh"]), name => env.GetValueOrDefault(name));
        Assert.Equal("opt-token-0123456789abcdefgh", fromOptions.Token);
    }

    [Theory]
    [InlineData("--token", "short")]
    [InlineData("--token", "has/slash-0123456789abcdefgh")]
    [InlineData("--query-key", "has space 0123456789abcdefgh")]
    public void Weak_or_unsafe_secrets_are_refused(string option, string value) =>
        Assert.Throws<ArgumentException>(() => ReceiverSecrets.Resolve(ReceiverOptions.Parse([option, value, "--handshake"]), _ => null));

    [Fact]
    public void A_missing_secret_file_is_created_for_the_owner_alone_and_read_back_next_time()
    {
        using var folder = new TempDirectory();
        string tokenFile = folder.File("secrets/token"), keyFile = folder.File("secrets/key");
        var options = ReceiverOptions.Parse(["--token-file", tokenFile, "--query-key-file", keyFile]);
        var first = ReceiverSecrets.Resolve(options, _ => null);
        var second = ReceiverSecrets.Resolve(options, _ => null);
        Assert.Equal(first, second);
        Assert.Equal(first.Token, File.ReadAllText(tokenFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder.File("secrets")));
        }
    }

    [Fact]
    public void A_secret_file_that_cannot_be_created_is_a_start_failure_naming_the_file_not_a_command_line_mistake()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("not-a-folder"), "");
        string tokenFile = folder.File("not-a-folder/token");
        var ex = Assert.Throws<ReceiverStartException>(() => ReceiverSecrets.Resolve(ReceiverOptions.Parse(["--token-file", tokenFile, "--handshake"]), _ => null));
        var failure = StartFailure.Describe(ex, commandLine: true);
        Assert.Equal(1, failure.ExitCode);
        Assert.Contains("Cannot create the token file " + tokenFile, failure.Message);
    }

    [Fact]
    public void Start_failures_are_classified_with_their_exit_code_and_told_in_one_line()
    {
        Assert.Equal(new StartFailure(2, StartFailure.CommandLine, "--bogus is unknown."), StartFailure.Describe(new ArgumentException("--bogus is unknown."), commandLine: true));
        // The same exception type from deep inside a start is not the user's command line.
        Assert.Equal(1, StartFailure.Describe(new ArgumentException("bad"), commandLine: false).ExitCode);
        var locked = StartFailure.Describe(new ReceiverStartException(StartFailure.StoreLocked, "The store /x is in use."), commandLine: false);
        Assert.Equal((1, StartFailure.StoreLocked), (locked.ExitCode, locked.Reason));
        var nested = StartFailure.Describe(new AggregateException(new InvalidOperationException("first line\nsecond line")), commandLine: false);
        Assert.Equal("The receiver could not start: first line second line", nested.Message);
        Assert.Equal(StartFailure.AccessDenied, StartFailure.Describe(new UnauthorizedAccessException("Access to the path '/x' is denied."), commandLine: false).Reason);
    }
}
