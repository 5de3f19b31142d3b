using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sobot.Emulator;
using Sobot.TestSupport;

namespace Sobot.Emulator
{
    /// <summary>
    /// The emulator settings the linked tests set, under the names of the emulator's own EmulatorOptions; each
    /// becomes a command-line flag of the emulator process (its --help lists them).
    /// </summary>
    public sealed class EmulatorOptions
    {
        public const string DefaultAccessKey = "demo-access-key";
        public const string DefaultSecretKey = "demo-secret-key";
        public int LatencyMs { get; set; }
        public double RateLimit { get; set; }
        public double FailRate { get; set; }
        public double DropRate { get; set; }
        public bool NoWindow { get; set; }

        internal IEnumerable<string> Arguments()
        {
            string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
            if (LatencyMs != 0) { yield return "--latency-ms"; yield return LatencyMs.ToString(CultureInfo.InvariantCulture); }
            if (RateLimit != 0) { yield return "--rate-limit"; yield return N(RateLimit); }
            if (FailRate != 0) { yield return "--fail-rate"; yield return N(FailRate); }
            if (DropRate != 0) { yield return "--drop-rate"; yield return N(DropRate); }
            if (NoWindow) yield return "--no-window";
        }
    }

    /// <summary>A customer as the linked tests add one straight into the emulator (here through its API) or read it back.</summary>
    public sealed class CustomerItem
    {
        public string Mobile { get; set; } = "";
        public string Name { get; set; } = "";
        public List<string> Labels { get; set; } = new();
    }

    /// <summary>One line of the emulator's API request log (GET /_emulator/requests).</summary>
    public sealed class RequestLogEntry
    {
        public string Method { get; set; } = "";
        public string Path { get; set; } = "";
        public int Status { get; set; }
    }
}

namespace Sobot.Client.Tests
{
    /// <summary>
    /// The built emulator (out/emulator/Sobot.Emulator.dll) run by <c>dotnet</c> as a child process on a free
    /// loopback port, with the surface of tests/Sobot.Client.Tests/TestEmulator.cs that the linked tests use: the
    /// HTTP calls of tests/Shared/EmulatorHttp.cs, the client of TestEmulator.Client.cs, and the emulator's state
    /// through its API.
    /// The emulator is a .NET 10 program; only the client and the tests run on .NET Framework (Mono).
    /// Disposing it kills the one process it started, and nothing else.
    /// </summary>
    public sealed partial class TestEmulator : EmulatorHttp, IAsyncDisposable
    {
        private readonly Process _process;

        private TestEmulator(Process process, Uri baseUri) : base(baseUri)
        {
            _process = process;
            Host = new EmulatorHostInfo(baseUri);
            State = new EmulatorStateOverHttp(this);
        }

        public EmulatorHostInfo Host { get; }
        /// <summary>What the linked tests change in the emulator's state, done through its API.</summary>
        public EmulatorStateOverHttp State { get; }

        /// <summary>Sobot.Emulator.dll: $SOBOT_EMULATOR_DLL (build.ps1 sets it), else out/emulator above this assembly.</summary>
        public static string EmulatorPath()
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("SOBOT_EMULATOR_DLL");
            if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment!;
            for (var dir = new DirectoryInfo(AppDomain.CurrentDomain.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "out", "emulator", "Sobot.Emulator.dll");
                if (File.Exists(candidate)) return candidate;
            }
            throw new InvalidOperationException("Sobot.Emulator.dll not found: run ./build.ps1 -Task Build first, or set SOBOT_EMULATOR_DLL.");
        }

        public static Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null)
        {
            var options = new EmulatorOptions();
            configure?.Invoke(options);
            var arguments = new[] { EmulatorPath(), "--urls", "http://127.0.0.1:0" }.Concat(options.Arguments());
            var psi = new ProcessStartInfo("dotnet", string.Join(" ", arguments.Select(Quote)))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
                CreateNoWindow = true,
            };
            var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start.");
            try
            {
                // The first line: "Sobot emulator listening on http://127.0.0.1:<port>". A generous deadline: the
                // machine may be busy; a start that fails shows what the emulator printed.
                var firstLine = Task.Run(() => process.StandardOutput.ReadLine());
                if (!firstLine.Wait(TimeSpan.FromSeconds(120)) || firstLine.Result is not string line)
                    throw new InvalidOperationException("The emulator did not say where it listens within 120 s.");
                const string marker = "listening on ";
                int at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at < 0) throw new InvalidOperationException("Unexpected first line from the emulator: " + line);
                var uri = new Uri(line.Substring(at + marker.Length).Trim() + "/");
                // Keep draining its output so it never blocks on a full pipe.
                _ = Task.Run(() => { try { while (process.StandardOutput.ReadLine() != null) { } } catch (IOException) { } catch (ObjectDisposedException) { } });
                return Task.FromResult(new TestEmulator(process, uri));
            }
            catch
            {
                Kill(process);
                throw;
            }
        }

        private static string Quote(string argument) =>
            argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '"', '\t' }) < 0 ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";

        public ValueTask DisposeAsync()
        {
            DisposeClients();
            Kill(_process);
            return default;
        }

        private static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException) { }   // it has exited meanwhile
            finally { process.Dispose(); }
        }
    }

    public sealed class EmulatorHostInfo
    {
        public EmulatorHostInfo(Uri baseUri) => BaseUri = baseUri;
        public Uri BaseUri { get; }
    }

    public sealed class EmulatorStateOverHttp
    {
        private readonly TestEmulator _emulator;
        public EmulatorStateOverHttp(TestEmulator emulator) => _emulator = emulator;

        /// <summary>The API requests the emulator has answered so far (<c>GET /_emulator/requests</c>).</summary>
        public IReadOnlyList<RequestLogEntry> Requests =>
            Get("_emulator/requests").Select(r => new RequestLogEntry
            {
                Method = r!["method"]!.GetValue<string>(),
                Path = r["path"]!.GetValue<string>(),
                Status = r["status"]!.GetValue<int>(),
            }).ToList();

        /// <summary>The customer with this number (<c>GET /_emulator/customers</c>), or null.</summary>
        public CustomerItem? FindCustomer(string mobile) =>
            Get("_emulator/customers").Where(c => c!["mobile"]!.GetValue<string>() == mobile).Select(c => new CustomerItem
            {
                Mobile = mobile,
                Name = c!["name"]!.GetValue<string>(),
                Labels = (c["labels"] as JsonArray ?? new JsonArray()).Select(l => l!.GetValue<string>()).ToList(),
            }).SingleOrDefault();

        private JsonArray Get(string path) =>
            (JsonArray)JsonNode.Parse(_emulator.Control.GetStringAsync(path).GetAwaiter().GetResult())!;

        /// <summary>Adds a customer through <c>POST /api/customer</c>; false when the emulator already has the number.</summary>
        public bool TryAddCustomer(CustomerItem customer)
        {
            var (status, _) = _emulator.SendAsync(HttpMethod.Post, "api/customer",
                new JsonObject { ["mobile"] = customer.Mobile, ["name"] = customer.Name }.ToJsonString()).GetAwaiter().GetResult();
            return status is >= 200 and < 300;
        }
    }
}
