using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Sobot.Receiver.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster for tests: initdb into a temp folder, pg_ctl start on a free loopback port with its
/// unix socket in that folder, pg_ctl stop and the folder removed at the end. Run as the <c>postgres</c> user when the
/// tests run as root (the server refuses root). Only the server this class started is ever stopped. When PostgreSQL
/// cannot be found or started, the tests that need it fail with the reason: they are never skipped.
/// The benchmark compiles this file too (scenario 10), which is why xunit's interface is added in another file.
/// </summary>
public sealed partial class PostgresCluster
{
    private static readonly string[] Folders = ["/usr/local/bin", "/usr/local/pgsql/bin", "/usr/bin"];

    // As root the server runs as postgres, which must reach the folder: /tmp is open to every user, while a TMPDIR of
    // root's own may not be. The unix socket lives here too, and its path must stay under ~100 characters.
    private readonly string _folder = Path.Combine(RunningAsRoot ? "/tmp" : Path.GetTempPath(), "sobot-pg-" + Guid.NewGuid().ToString("N"));
    private string _bin = "";
    private bool _started;

    public int Port { get; private set; }
    public string DataDirectory => Path.Combine(_folder, "data");

    /// <summary>A connection string to the maintenance database (no password: trust on loopback and the socket).</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>Connecting may take 30 s (not 5) before it fails: on a loaded machine a receiver started by a test must not give up on a server that is there.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Timeout = 30, CommandTimeout = 30 }.ConnectionString;

    public async Task InitializeAsync()
    {
        _bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is needed for these tests and was not found: no initdb on PATH, in /usr/local/bin or in /usr/lib/postgresql/*/bin. " +
            "Install it (Debian: apt-get install postgresql; .ci/run does this).");
        Directory.CreateDirectory(_folder);
        if (RunningAsRoot) await RunAsync("chown", ["postgres:postgres", _folder], asPostgres: false);
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        Port = FreePort();
        await StartAsync();
    }

    public async Task StartAsync()
    {
        // Durable like production (fsync and synchronous_commit stay on); small shared buffers for a shared test machine.
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB", "start"]);
        _started = true;
    }

    /// <summary>Fast shutdown: open transactions are rolled back and connections cut, like a restart in production.</summary>
    public async Task StopAsync()
    {
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        _started = false;
    }

    /// <summary>A new empty database for one test.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            try { await StopAsync(); }
            catch (InvalidOperationException) { /* already gone; the folder goes anyway */ }
        }
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static bool RunningAsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>initdb on PATH first, then the usual install folders, then Debian's versioned folders (newest first).</summary>
    private static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(Folders).ToList();
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>
    /// A free port below the range the system hands out for port 0 and for outgoing connections (Linux:
    /// ip_local_port_range), so that between this probe and the server's start, and across its restarts, no other test's
    /// listener or connection takes it. Where that range is not known, any free port.
    /// </summary>
    private static int FreePort()
    {
        int below = 0;
        try { below = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0]); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { }
        for (int attempt = 0; below > 11_000 && attempt < 50; attempt++)
        {
            int port = Random.Shared.Next(10_000, below);
            try
            {
                using var candidate = new TcpListener(IPAddress.Loopback, port);
                candidate.Start();
                return port;
            }
            catch (SocketException) { }
        }
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task RunAsync(string program, IReadOnlyList<string> args, bool asPostgres = true)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _folder };
        if (asPostgres && RunningAsRoot)
        {
            info.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", program }) info.ArgumentList.Add(a);
        }
        else info.FileName = program;
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            string log = File.Exists(Path.Combine(_folder, "server.log")) ? File.ReadAllText(Path.Combine(_folder, "server.log")) : "";
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout} {await stderr} {log}");
        }
    }
}
