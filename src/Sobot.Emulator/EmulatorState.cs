using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary>What the emulated account holds: accepted messages, templates, customers and open 24-hour windows.</summary>
public sealed class EmulatorState
{
    public static readonly TimeSpan ConversationWindow = TimeSpan.FromHours(24);

    private readonly object _gate = new();
    private readonly List<AcceptedMessage> _messages = new();
    private readonly List<TemplateItem> _templates = new();
    private readonly Dictionary<string, CustomerItem> _customers = new(StringComparer.Ordinal);
    private readonly List<string> _customerOrder = new();
    private readonly Dictionary<string, AcceptedMessage> _messagesById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastInbound = new(StringComparer.Ordinal);
    private readonly List<InboundMessage> _inbound = new();
    private long _read;
    private long _deliveredUnread;
    private long _failed;
    private long _messageSequence;
    private long _nextTemplateId;
    private long _nextCustomerId;
    private long _apiRequests;
    private long _rateLimited;
    private long _inFlight;
    private long _inFlightPeak;

    public EmulatorState(EmulatorOptions options, TimeProvider clock)
    {
        Options = options;
        Clock = clock;
        Random = options.RandomSeed is int seed ? new Random(seed) : new Random();
        Reset();
    }

    public EmulatorOptions Options { get; }
    public TimeProvider Clock { get; }
    /// <summary>Fault injection and message outcomes draw from it, through <see cref="Draw"/>.</summary>
    public Random Random { get; }

    /// <summary>A number from 0 to 1 for a share knob: below the share means yes.</summary>
    public double Draw()
    {
        lock (Random) return Random.NextDouble();
    }

    public void Reset()
    {
        lock (_gate)
        {
            _messages.Clear();
            _messagesById.Clear();
            _inbound.Clear();
            Interlocked.Exchange(ref _read, 0);
            Interlocked.Exchange(ref _deliveredUnread, 0);
            Interlocked.Exchange(ref _failed, 0);
            Interlocked.Exchange(ref _apiRequests, 0);
            Interlocked.Exchange(ref _rateLimited, 0);
            // Requests still inside the gate keep their place: the peak starts again from them.
            Interlocked.Exchange(ref _inFlightPeak, Interlocked.Read(ref _inFlight));
            lock (_requests) _requests.Clear();
            Interlocked.Exchange(ref _messageSequence, 0);
            _customers.Clear();
            _customerOrder.Clear();
            _lastInbound.Clear();
            _templates.Clear();
            _nextTemplateId = 580;
            _nextCustomerId = 1000;
            foreach (var t in TemplateSeed.Create(Clock.GetUtcNow())) AddTemplateLocked(t);
        }
    }

    // ---- messages ----

    public AcceptedMessage AcceptMessage(string customerNumber, string customerName, string kind, string? templateName, JsonObject body)
    {
        var id = "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var outcome = DrawOutcome();
        if (Options.NoRetain)
            return new AcceptedMessage(Interlocked.Increment(ref _messageSequence), Clock.GetUtcNow(), customerNumber, customerName, kind, templateName, id, body, outcome);
        lock (_gate)
        {
            var message = new AcceptedMessage(++_messageSequence, Clock.GetUtcNow(), customerNumber, customerName, kind, templateName, id, body, outcome);
            _messages.Add(message);
            _messagesById[id] = message;
            if (!_customers.ContainsKey(customerNumber))
                AddCustomerLocked(new CustomerItem { Mobile = customerNumber, Name = customerName });
            return message;
        }
    }

    /// <summary>Where a message ends, decided when it is accepted: failed (--failed-rate), else read (--read-rate), else delivered.</summary>
    private MessageOutcome DrawOutcome()
    {
        if (Options.FailedRate > 0 && Draw() < Options.FailedRate)
        {
            Interlocked.Increment(ref _failed);
            return MessageOutcome.Failed;
        }
        if (Options.ReadRate >= 1 || (Options.ReadRate > 0 && Draw() < Options.ReadRate))
        {
            Interlocked.Increment(ref _read);
            return MessageOutcome.Read;
        }
        Interlocked.Increment(ref _deliveredUnread);
        return MessageOutcome.Delivered;
    }

    /// <summary>How many accepted messages reach each status (each reaches sent; read ones were delivered first).</summary>
    public object StatusCounts
    {
        get
        {
            long read = Interlocked.Read(ref _read), delivered = Interlocked.Read(ref _deliveredUnread), failed = Interlocked.Read(ref _failed);
            return new { sent = read + delivered + failed, delivered = read + delivered, read, failed };
        }
    }

    public AcceptedMessage? FindMessage(string id)
    {
        lock (_gate) return _messagesById.TryGetValue(id, out var m) ? m : null;
    }

    /// <summary>Messages accepted since the last reset (counted even with --no-retain).</summary>
    public long MessageCount => Interlocked.Read(ref _messageSequence);

    // ---- API traffic counters (GET /_emulator/stats; kept with --no-retain too) ----

    /// <summary>An API request entered the gate: counts it in flight and raises the peak if it is a new high.</summary>
    public void EnterApi()
    {
        long now = Interlocked.Increment(ref _inFlight);
        long peak = Interlocked.Read(ref _inFlightPeak);
        while (now > peak)
        {
            long seen = Interlocked.CompareExchange(ref _inFlightPeak, now, peak);
            if (seen == peak) break;
            peak = seen;
        }
    }

    /// <summary>An API request left the gate, answered with any status (or abandoned by its client).</summary>
    public void LeaveApi(bool rateLimited)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _apiRequests);
        if (rateLimited) Interlocked.Increment(ref _rateLimited);
    }

    /// <summary>API requests answered since the last reset, any status.</summary>
    public long ApiRequests => Interlocked.Read(ref _apiRequests);
    /// <summary>API requests answered 429 by the rate limit since the last reset.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);
    /// <summary>The most API requests inside the gate at once (latency delay included) since the last reset.</summary>
    public long InFlightPeak => Interlocked.Read(ref _inFlightPeak);

    private const int MaxLoggedRequests = 200_000;
    private readonly Queue<RequestLogEntry> _requests = new();

    /// <summary>Keeps the last API requests (time, method, path, status, Retry-After) for tests of pacing and retries.</summary>
    public void LogRequest(string method, string path, int status, string? retryAfter, string? userAgent)
    {
        if (Options.NoRetain) return;
        lock (_requests)
        {
            if (_requests.Count >= MaxLoggedRequests) _requests.Dequeue();
            _requests.Enqueue(new RequestLogEntry(Clock.GetUtcNow(), method, path, status, retryAfter, userAgent));
        }
    }

    public IReadOnlyList<RequestLogEntry> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    public IReadOnlyList<AcceptedMessage> Messages
    {
        get { lock (_gate) return _messages.ToList(); }
    }

    /// <summary>Keeps an inbound message and opens the 24-hour window from its own timestamp.</summary>
    public void RecordInbound(InboundMessage message)
    {
        lock (_gate)
        {
            if (!_lastInbound.TryGetValue(message.CustomerNumber, out var last) || last < message.Timestamp)
                _lastInbound[message.CustomerNumber] = message.Timestamp;
            if (!Options.NoRetain) _inbound.Add(message);
        }
    }

    public IReadOnlyList<InboundMessage> Inbound
    {
        get { lock (_gate) return _inbound.ToList(); }
    }

    public bool WindowOpen(string customerNumber)
    {
        if (Options.NoWindow) return true;
        lock (_gate)
            return _lastInbound.TryGetValue(customerNumber, out var at) && Clock.GetUtcNow() - at < ConversationWindow;
    }

    // ---- templates ----

    public IReadOnlyList<TemplateItem> Templates
    {
        get { lock (_gate) return _templates.ToList(); }
    }

    public TemplateItem? FindTemplate(string name, string lang)
    {
        lock (_gate) return _templates.FirstOrDefault(t => t.EntityName == name && t.LangCode == lang);
    }

    public bool TryAddTemplate(TemplateItem template)
    {
        lock (_gate)
        {
            if (_templates.Any(t => t.EntityName == template.EntityName && t.LangCode == template.LangCode)) return false;
            template.Id = 0;
            AddTemplateLocked(template);
            return true;
        }
    }

    public IReadOnlyList<TemplateItem> SetTemplateStatus(string idOrName, int status, string? rejectedReason)
    {
        lock (_gate)
        {
            var matches = _templates.Where(t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == idOrName || t.EntityName == idOrName).ToList();
            foreach (var t in matches)
            {
                t.Status = status;
                t.RejectedReason = status == 2 ? rejectedReason ?? "Rejected by the emulator" : null;
                t.UpdatedAt = Clock.GetUtcNow();
                if (status == 1 && t.TemplateId is null) t.TemplateId = (7595593000000000 + t.Id).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return matches;
        }
    }

    private void AddTemplateLocked(TemplateItem template)
    {
        template.Id = template.Id == 0 ? ++_nextTemplateId : template.Id;
        _nextTemplateId = Math.Max(_nextTemplateId, template.Id);
        _templates.Add(template);
    }

    // ---- customers ----

    public IReadOnlyList<CustomerItem> Customers
    {
        get { lock (_gate) return _customerOrder.Select(m => _customers[m]).ToList(); }
    }

    public CustomerItem? FindCustomer(string mobile)
    {
        lock (_gate) return _customers.TryGetValue(mobile, out var c) ? c : null;
    }

    public bool TryAddCustomer(CustomerItem customer)
    {
        lock (_gate)
        {
            if (_customers.ContainsKey(customer.Mobile)) return false;
            AddCustomerLocked(customer);
            return true;
        }
    }

    public bool TryUpdateCustomer(string mobile, Action<CustomerItem> update)
    {
        lock (_gate)
        {
            if (!_customers.TryGetValue(mobile, out var c)) return false;
            update(c);
            return true;
        }
    }

    private void AddCustomerLocked(CustomerItem customer)
    {
        customer.Id = ++_nextCustomerId;
        _customers[customer.Mobile] = customer;
        _customerOrder.Add(customer.Mobile);
    }
}
