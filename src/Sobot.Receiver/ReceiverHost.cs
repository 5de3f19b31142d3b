using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;
using Sobot.Receiver.Ingress;
using Sobot.Receiver.Query;
using Sobot.Receiver.Security;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Postgres;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver;

/// <summary>
/// Builds and runs the receiver: one Kestrel server with two sets of listeners. Each accepted connection is tagged
/// with its listener's role, and <see cref="ListenerGate"/> keeps every endpoint to the listeners it belongs on.
/// Tests host it in process through <see cref="StartAsync"/>.
/// </summary>
public sealed class ReceiverHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IEventStore _store;
    /// <summary>The SQLite store's lock: one file serves one receiver. Null on PostgreSQL.</summary>
    private IDisposable? _storeLock;

    private ReceiverHost(WebApplication app, IEventStore store, string storePath, IReadOnlyList<string> ingressUrls, IReadOnlyList<string> queryUrls, IReadOnlyList<string> localIngress, IReadOnlyList<string> localQuery)
    {
        _app = app;
        _store = store;
        StorePath = storePath;
        IngressUrls = ingressUrls;
        QueryUrls = queryUrls;
        IngressUrl = new Uri(localIngress[0] + "/");
        QueryUrl = localQuery[0];
    }

    public IEventStore Store => _store;
    public string StorePath { get; }
    /// <summary>The bound ingress URLs, with real ports.</summary>
    public IReadOnlyList<string> IngressUrls { get; }
    public IReadOnlyList<string> QueryUrls { get; }
    /// <summary>The first ingress listener as reached from this machine.</summary>
    public Uri IngressUrl { get; }
    /// <summary>The first query listener as reached from this machine.</summary>
    public string QueryUrl { get; }

    public string WebhookUrl(string token) => new Uri(IngressUrl, "webhook/" + token).AbsoluteUri;

    /// <param name="configureLogging">Where logs go; the default writes structured lines to the console.</param>
    public static async Task<ReceiverHost> StartAsync(ReceiverOptions options, ReceiverSecrets secrets,
        Action<ILoggingBuilder>? configureLogging = null, Func<string, string?>? environment = null, SqliteStoreOptions? storeOptions = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        X509Certificate2? certificate = options.CertificatePath != null ? CertificateLoader.Load(options, environment) : null;
        IEventStore store;
        string storeName;
        SqliteStoreLock? storeLock = null;
        var tightened = new List<string>();
        if (options.UsePostgres)
        {
            var postgres = await PostgresEventStore.OpenAsync(new PostgresStoreOptions(options.ResolveConnectionString(environment)));
            (store, storeName) = (postgres, postgres.Description);
        }
        else
        {
            storeOptions ??= new SqliteStoreOptions(options.StorePath);
            // A symbolic link the user named is resolved: SQLite, the lock and the state file work beside its target.
            storeOptions = storeOptions with { Path = PrepareStoreFiles(storeOptions.Path, tightened.Add) };
            storeLock = LockStore(storeOptions.Path, tightened.Add);
            try
            {
                var sqlite = SqliteEventStore.Open(storeOptions);
                (store, storeName) = (sqlite, sqlite.Path);
            }
            catch
            {
                storeLock.Dispose();
                throw;
            }
        }
        ReceiverHost host;
        try
        {
            host = await StartAsync(options, secrets, store, storeName, certificate, configureLogging);
        }
        catch
        {
            await store.DisposeAsync();
            storeLock?.Dispose();
            throw;
        }
        host._storeLock = storeLock;
        foreach (string file in tightened.Distinct())
            host.Logger.LogWarning("{Path} could be read by other users (an older receiver created it so); it is now readable by this user only.", file);
        if (storeLock != null) host.WriteState(options, secrets);
        return host;
    }

    private ILogger Logger => _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sobot.Receiver");

    /// <summary>The store's folder and files, checked before SQLite opens them (<see cref="SqliteStoreFiles"/>).</summary>
    private static string PrepareStoreFiles(string storePath, Action<string> tightened)
    {
        try
        {
            return SqliteStoreFiles.Prepare(storePath, tightened);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StartFailure.FileProblem("store", storePath, creating: !File.Exists(storePath), ex);
        }
    }

    /// <summary>One SQLite file serves one receiver: a second one on the same file is refused, naming the first.</summary>
    private static SqliteStoreLock LockStore(string storePath, Action<string> tightened)
    {
        string path = Path.GetFullPath(storePath);
        return SqliteStoreLock.TryAcquire(path, tightened) ?? throw new ReceiverStartException(StartFailure.StoreLocked,
            $"The store {path} is in use by another receiver{(ReceiverState.ReadProcessId(path) is int pid ? $" (pid {pid})" : string.Empty)}: " +
            "one SQLite file serves one receiver. To run several receivers, use the PostgreSQL store (--store postgres).");
    }

    /// <summary>Tells Get-SobotReceiver -Path what runs on this store; a failure costs that, never the start.</summary>
    private void WriteState(ReceiverOptions options, ReceiverSecrets secrets)
    {
        try
        {
            ReceiverState.Write(this, options, secrets);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Logger.LogWarning("Could not write {Path}: {Reason}", ReceiverState.PathOf(StorePath), ex.Message);
        }
    }

    private static async Task<ReceiverHost> StartAsync(ReceiverOptions options, ReceiverSecrets secrets, IEventStore store, string storePath,
        X509Certificate2? certificate, Action<ILoggingBuilder>? configureLogging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (configureLogging != null) configureLogging(builder.Logging);
        else ConfigureConsoleLogging(builder.Logging, options);
        // ASP.NET Core logs every request line with its path at Information, and the path holds the token.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A start that fails is reported once, as one line (StartFailure); the host's own log of it is a stack trace.
        bool starting = true;
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= options.LogLevel && (!starting || level < LogLevel.Error));
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(o => o.ServiceName = "SobotReceiver");

        var ingress = new List<(ListenAddress Address, ListenOptions Listen)>();
        var query = new List<(ListenAddress Address, ListenOptions Listen)>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Room for a 3 MB body plus one byte, so an oversized body is ours to refuse with 413 and a clear message.
            k.Limits.MaxRequestBodySize = BoundedBodyReader.MaxBodyBytes + 1L;
            // Room for GET /v1/events with customerNumber given 1,000 times (about 30 KB of query string).
            k.Limits.MaxRequestLineSize = EventEndpoints.MaxRequestLineBytes;
            foreach (var a in options.IngressUrls) Listen(k, a, ListenerRole.Ingress, certificate, ingress);
            foreach (var a in options.QueryUrls) Listen(k, a, ListenerRole.Query, certificate, query);
        });
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RefusalLog>().AddHostedService(sp => sp.GetRequiredService<RefusalLog>());
        builder.Services.AddSingleton<LongPolls>().AddHostedService(sp => sp.GetRequiredService<LongPolls>());
        if (options.RetentionDays is int days)
            builder.Services.AddHostedService(sp => new RetentionService(store, TimeSpan.FromDays(days), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RetentionService>>()));
        if (options.ExitWithPid is int parent) builder.Services.AddHostedService(sp => new ParentProcessWatch(parent, sp.GetRequiredService<IHostApplicationLifetime>()));

        var app = builder.Build();
        if (options.TrustedProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            // The defaults trust loopback; only what --trusted-proxy names is trusted.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var network in options.TrustedProxies) forwarded.KnownIPNetworks.Add(network);
            app.UseForwardedHeaders(forwarded);
        }
        app.UseRouting();
        app.UseMiddleware<ListenerGate>(new SecretMatcher(secrets.QueryKey));
        WebhookEndpoint.Map(app, new SecretMatcher(secrets.Token));
        HealthEndpoint.Map(app);
        var v1 = app.MapGroup("/v1").WithMetadata(ListenerScope.QueryWithKey).AddEndpointFilter(QueryArguments.RefuseUnreadableText);
        EventEndpoints.Map(v1);
        StatusEndpoints.Map(v1);
        ConsumerEndpoints.Map(v1);
        OptOutEndpoints.Map(v1);
        WindowEndpoints.Map(v1);

        try
        {
            await app.StartAsync();
            starting = false;
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await app.DisposeAsync();
            throw PortInUse(options, ex);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var host = new ReceiverHost(app, store, storePath,
            ingress.Select(l => l.Address.ToUrl(BoundPort(l.Listen, l.Address))).ToList(),
            query.Select(l => l.Address.ToUrl(BoundPort(l.Listen, l.Address))).ToList(),
            ingress.Select(l => l.Address.ToLocalUrl(BoundPort(l.Listen, l.Address))).ToList(),
            query.Select(l => l.Address.ToLocalUrl(BoundPort(l.Listen, l.Address))).ToList());
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sobot.Receiver");
        // URLs without the token: the webhook URL is a secret.
        log.LogInformation("Receiver ready: ingress {IngressUrls} (POST /webhook/<token>), query API {QueryUrls}, store {Store}",
            string.Join(", ", host.IngressUrls), string.Join(", ", host.QueryUrls), storePath);
        foreach (var address in options.QueryUrls.Where(a => !a.Https && !IsLoopback(a)))
            log.LogWarning("The query API listens on {Url} without TLS: the query key and customer messages cross the network in clear text. Use https:// or a TLS proxy.",
                address.ToUrl(address.Port));
        return host;
    }

    private static void ConfigureConsoleLogging(ILoggingBuilder logging, ReceiverOptions options)
    {
        // With the handshake, stdout carries the ready line alone; logs go to stderr.
        var threshold = options.Handshake ? LogLevel.Trace : LogLevel.None;
        void ConfigureConsole(ConsoleLoggerOptions o)
        {
            o.LogToStandardErrorThreshold = threshold;
            // A reader that stops draining our output (a launcher gone quiet) must cost log lines, never a stalled webhook.
            o.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
        }
        if (options.JsonLogs)
            logging.AddJsonConsole(o => o.UseUtcTimestamp = true).AddConsole(ConfigureConsole);
        else
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' "; })
                .AddConsole(ConfigureConsole);
        logging.SetMinimumLevel(options.LogLevel);
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, ListenerRole role, X509Certificate2? certificate, List<(ListenAddress, ListenOptions)> bound)
    {
        void Configure(ListenOptions listen)
        {
            listen.Use(next => connection =>
            {
                connection.Items[ListenerGate.RoleItem] = role;
                return next(connection);
            });
            if (address.Https) listen.UseHttps(certificate!);
            bound.Add((address, listen));
        }
        if (address.IsLocalhost) kestrel.ListenLocalhost(address.Port, Configure);
        // Every wildcard listens dual-stack, so 127.0.0.1 reaches it (see ListenAddress.ToLocalUrl).
        else if (address.IsWildcard && address.Host != "0.0.0.0") kestrel.ListenAnyIP(address.Port, Configure);
        else kestrel.Listen(IPAddress.Parse(address.Host), address.Port, Configure);
    }

    /// <summary>Kestrel names the address it could not bind ("Failed to bind to address http://127.0.0.1:8080: address already in use.").</summary>
    private static ReceiverStartException PortInUse(ReceiverOptions options, IOException ex)
    {
        var listeners = options.IngressUrls.Select(a => (Address: a, Role: "ingress (--ingress-urls)"))
            .Concat(options.QueryUrls.Select(a => (Address: a, Role: "query API (--query-urls)")));
        var taken = listeners.FirstOrDefault(l => l.Address.Port != 0 && ex.Message.Contains($":{l.Address.Port}:", StringComparison.Ordinal));
        string message = taken.Address is null
            ? $"A port the receiver needs is in use by another program: {ex.Message}"
            : $"Port {taken.Address.Port} is in use by another program: the receiver's {taken.Role} cannot listen on {taken.Address.ToUrl(taken.Address.Port)}. Stop that program or choose another port.";
        return new ReceiverStartException(StartFailure.PortInUse, message, ex);
    }

    private static bool IsLoopback(ListenAddress address) =>
        address.IsLocalhost || (IPAddress.TryParse(address.Host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Kestrel writes the port it bound back into the listen options, which is how port 0 becomes known.</summary>
    private static int BoundPort(ListenOptions listen, ListenAddress address) => listen.IPEndPoint?.Port is int port && port != 0 ? port : address.Port;

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Stops the listeners (in-flight requests finish), then lets the store commit what is queued and close.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
        _storeLock?.Dispose();
    }
}
