using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Paging;
using Sobot.Client.Models.Responses;

namespace Sobot.Client.Templates
{
    /// <summary>
    /// The account's template list, fetched once and kept per client. Template sends use it to find a
    /// template's language and variable count before anything is sent. A miss refreshes the list, at
    /// most once per <see cref="MinimumRefreshInterval"/>, so a CSV of 10,000 rows naming a missing
    /// template costs one extra listing, not 10,000.
    /// </summary>
    public sealed class TemplateCatalog
    {
        public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(30);

        private readonly SobotClient _client;
        private readonly object _gate = new object();
        private IReadOnlyList<TemplateRecord>? _templates;
        private Stopwatch? _loadedAgo;

        internal TemplateCatalog(SobotClient client) => _client = client;

        /// <summary>The cached templates, or an empty list when none were loaded (never calls the API).</summary>
        public IReadOnlyList<TemplateRecord> Cached
        {
            get { lock (_gate) return _templates ?? Array.Empty<TemplateRecord>(); }
        }

        /// <summary>The templates, from the cache or (when empty, or <paramref name="refresh"/>) listed now.</summary>
        public Task<IReadOnlyList<TemplateRecord>> GetAllAsync(bool refresh = false, CancellationToken cancellationToken = default) =>
            LoadAsync(cancellationToken, refresh);

        /// <summary>Replaces the cache with a complete listing (e.g. one a cmdlet just streamed).</summary>
        public void Replace(IEnumerable<TemplateRecord> templates)
        {
            var list = templates.ToList();
            lock (_gate)
            {
                _templates = list;
                _loadedAgo = Stopwatch.StartNew();
            }
        }

        public void Invalidate()
        {
            lock (_gate)
            {
                _templates = null;
                _loadedAgo = null;
            }
        }

        /// <summary>
        /// The approved template named <paramref name="name"/> in <paramref name="language"/> (or its only
        /// language when null). Throws <see cref="SobotTemplateException"/> when it cannot be sent.
        /// </summary>
        public async Task<TemplateRecord> ResolveAsync(string name, string? language, CancellationToken cancellationToken = default)
        {
            var templates = await LoadAsync(cancellationToken, refresh: false).ConfigureAwait(false);
            var found = Find(templates, name, language);
            if (found.Count != 1 || found[0].Status != TemplateStatus.Approved)
            {
                // Maybe created or approved since the list was read.
                if (RefreshAllowed()) found = Find(await LoadAsync(cancellationToken, refresh: true).ConfigureAwait(false), name, language);
            }

            if (found.Count == 0)
            {
                var known = Cached.Select(t => t.EntityName).Where(n => n != null).Distinct().Take(10).ToList();
                string lang = language is null ? string.Empty : $" in language '{language}'";
                string other = language is null ? string.Empty : LanguagesOf(name) is { Length: > 0 } langs ? $" It exists in: {langs}." : string.Empty;
                throw new SobotTemplateException(SobotTemplateProblem.NotFound, name,
                    $"The account has no template named '{name}'{lang}.{other}" + (known.Count > 0 && other.Length == 0 ? $" Known templates include: {string.Join(", ", known)}." : string.Empty));
            }
            if (found.Count > 1)
                throw new SobotTemplateException(SobotTemplateProblem.AmbiguousLanguage, name,
                    $"The template '{name}' exists in several languages ({string.Join(", ", found.Select(t => t.LangCode))}); give its language to choose one.", "Language");
            var template = found[0];
            if (template.Status != TemplateStatus.Approved)
                throw new SobotTemplateException(SobotTemplateProblem.NotApproved, name,
                    $"The template '{name}' ({template.LangCode}) is {StatusName(template.Status)}; only templates approved by Meta can be sent.");
            return template;
        }

        /// <summary>Throws when <paramref name="bodyParameterCount"/> differs from the template body's variables.</summary>
        public static void CheckBodyParameters(TemplateRecord template, int bodyParameterCount)
        {
            int expected = template.BodyVariableCount;
            if (expected != bodyParameterCount)
                throw new SobotTemplateException(SobotTemplateProblem.ParameterCountMismatch, template.EntityName ?? string.Empty,
                    $"The template '{template.EntityName}' ({template.LangCode}) has {expected} body variable{(expected == 1 ? "" : "s")} but {bodyParameterCount} body parameter{(bodyParameterCount == 1 ? " was" : "s were")} given.", "BodyParameters");
        }

        public static string StatusName(TemplateStatus status) =>
            status switch { TemplateStatus.Pending => "pending approval", TemplateStatus.Approved => "approved", TemplateStatus.Rejected => "rejected", _ => "in status " + (int)status };

        private string LanguagesOf(string name) =>
            string.Join(", ", Cached.Where(t => string.Equals(t.EntityName, name, StringComparison.Ordinal)).Select(t => t.LangCode));

        private static List<TemplateRecord> Find(IReadOnlyList<TemplateRecord> templates, string name, string? language) =>
            templates.Where(t => string.Equals(t.EntityName, name, StringComparison.Ordinal)
                                 && (language is null || string.Equals(t.LangCode, language, StringComparison.OrdinalIgnoreCase)))
                     .ToList();

        private bool RefreshAllowed()
        {
            lock (_gate) return _loadedAgo is null || _loadedAgo.Elapsed >= MinimumRefreshInterval;
        }

        private async Task<IReadOnlyList<TemplateRecord>> LoadAsync(CancellationToken cancellationToken, bool refresh)
        {
            lock (_gate)
            {
                if (_templates != null && !refresh) return _templates;
            }
            // Listing happens outside the lock: a slow page must not block readers of Cached (tab completion).
            var list = await Pager.ToListAsync(_client.EnumerateTemplatesAsync(null, cancellationToken), cancellationToken).ConfigureAwait(false);
            Replace(list);
            return list;
        }
    }
}
