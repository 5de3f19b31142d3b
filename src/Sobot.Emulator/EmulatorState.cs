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
    private readonly Dictionary<string, DateTimeOffset> _lastInbound = new(StringComparer.Ordinal);
    private long _messageSequence;
    private long _nextTemplateId;
    private long _nextCustomerId;

    public EmulatorState(EmulatorOptions options, TimeProvider clock)
    {
        Options = options;
        Clock = clock;
        Random = options.RandomSeed is int seed ? new Random(seed) : new Random();
        Reset();
    }

    public EmulatorOptions Options { get; }
    public TimeProvider Clock { get; }
    /// <summary>Fault injection draws from it; guarded by its own lock.</summary>
    public Random Random { get; }

    public void Reset()
    {
        lock (_gate)
        {
            _messages.Clear();
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
        if (Options.NoRetain)
            return new AcceptedMessage(Interlocked.Increment(ref _messageSequence), Clock.GetUtcNow(), customerNumber, customerName, kind, templateName, id, body);
        lock (_gate)
        {
            var message = new AcceptedMessage(++_messageSequence, Clock.GetUtcNow(), customerNumber, customerName, kind, templateName, id, body);
            _messages.Add(message);
            if (!_customers.ContainsKey(customerNumber))
                AddCustomerLocked(new CustomerItem { Mobile = customerNumber, Name = customerName });
            return message;
        }
    }

    /// <summary>Messages accepted since the last reset (counted even with --no-retain).</summary>
    public long MessageCount => Interlocked.Read(ref _messageSequence);

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

    public void RecordInbound(string from, DateTimeOffset? at = null)
    {
        lock (_gate) _lastInbound[from] = at ?? Clock.GetUtcNow();
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

public sealed record RequestLogEntry(DateTimeOffset Time, string Method, string Path, int Status, string? RetryAfter, string? UserAgent);

public sealed record AcceptedMessage(long Sequence, DateTimeOffset ReceivedAt, string CustomerNumber, string CustomerName, string Kind, string? TemplateName, string Id, JsonObject Body);

/// <summary>A template as the list endpoint returns it.</summary>
public sealed class TemplateItem
{
    public long Id { get; set; }
    public string EntityName { get; set; } = "";
    public string Template { get; set; } = "";
    public string Category { get; set; } = "UTILITY";
    public string? TemplateId { get; set; }
    public string TemplateType { get; set; } = "TEXT";
    public string LangCode { get; set; } = "en";
    public int Status { get; set; }
    public string? Header { get; set; }
    public string? HeaderType { get; set; }
    public string? Footer { get; set; }
    public string? SubType { get; set; }
    public List<string>? Buttons { get; set; }
    public JsonArray? PhoneNumbers { get; set; }
    public string? Url { get; set; }
    public string? UrlName { get; set; }
    public string? Example { get; set; }
    public string? ExampleWebsite { get; set; }
    public string? RejectedReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public long AddedBy { get; set; } = 156;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasDynamicUrl => Url != null && Url.EndsWith("{{1}}", StringComparison.Ordinal);
}

public sealed class CustomerItem
{
    public long Id { get; set; }
    public string Mobile { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Gender { get; set; }
    public string? DateOfBirth { get; set; }
    public string? FacebookProfile { get; set; }
    public string? LinkedinProfile { get; set; }
    public string? TwitterProfile { get; set; }
    public JsonObject? ExtraFields { get; set; }
    public List<string> Labels { get; set; } = new();
}
