using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Models.Responses;

namespace Sobot.Client.Paging
{
    /// <summary>
    /// Walks a paginated list (20 per page) to its end, yielding items as each page arrives. The page
    /// number is read from the absolute <c>next</c> link, but the request goes to the client's own base
    /// URI, so a proxy or a staging host is never bypassed by a link that names the production host.
    /// </summary>
    public static class Pager
    {
        public static async IAsyncEnumerable<T> EnumerateAsync<T>(Func<int, CancellationToken, Task<PagedResponse<T>>> fetchPage,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            int page = 1;
            var seen = new HashSet<int>();
            while (seen.Add(page))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var response = await fetchPage(page, cancellationToken).ConfigureAwait(false);
                if (response.Data is null || response.Data.Count == 0) yield break;
                foreach (var item in response.Data) yield return item;
                if (string.IsNullOrEmpty(response.Next)) yield break;
                page = PageOf(response.Next!) ?? page + 1;
            }
        }

        /// <summary>Every item of the list, read to its end.</summary>
        public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items, CancellationToken cancellationToken = default)
        {
            var list = new List<T>();
            await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false)) list.Add(item);
            return list;
        }

        /// <summary>The <c>page</c> query value of a next/previous link, or null.</summary>
        public static int? PageOf(string link)
        {
            int q = link.IndexOf('?');
            if (q < 0) return null;
            foreach (var pair in link.Substring(q + 1).Split('&'))
            {
                int eq = pair.IndexOf('=');
                if (eq > 0 && pair.Substring(0, eq) == "page"
                    && int.TryParse(pair.Substring(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
                    return n;
            }
            return null;
        }
    }
}
