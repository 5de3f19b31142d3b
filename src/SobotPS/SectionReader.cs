using System.Collections.Generic;
using System.Linq;
using Sobot.Client;
using Sobot.Client.Models.Requests;

namespace SobotPS
{
    /// <summary>
    /// Turns -Section values into list and product sections: typed sections from New-SobotListSection /
    /// New-SobotProductSection, hashtables, or objects from ConvertFrom-Json and Import-Csv.
    /// </summary>
    internal static class SectionReader
    {
        public static List<ListSection> ListSections(object?[]? sections)
        {
            var result = new List<ListSection>();
            var items = sections ?? new object?[0];
            for (int i = 0; i < items.Length; i++)
            {
                var section = InputReader.Unwrap(items[i]);
                if (section is ListSection typed)
                {
                    result.Add(typed);
                    continue;
                }
                string at = "list_obj.sections[" + i + "]";
                if (section is null) throw new SobotValidationException(at, $"Section {i + 1} is null.");
                string title = InputReader.GetString(section, at + ".title", "Title") ?? throw Missing(at + ".title", $"Section {i + 1} has no Title.");
                var rowsValue = InputReader.Get(section, "Rows", "Row");
                if (rowsValue is null) throw Missing(at + ".rows", $"Section {i + 1} ('{title}') has no Rows.");
                var rows = new List<ListRow>();
                var rowItems = InputReader.AsList(rowsValue);
                for (int j = 0; j < rowItems.Count; j++)
                {
                    var row = rowItems[j];
                    if (row is ListRow typedRow)
                    {
                        rows.Add(typedRow);
                        continue;
                    }
                    string rowAt = at + ".rows[" + j + "]";
                    if (row is null || row is string) throw Missing(rowAt, $"Row {j + 1} of section '{title}' must be a hashtable or object with Id, Title and optionally Description.");
                    rows.Add(new ListRow(
                        InputReader.GetString(row, rowAt + ".id", "Id") ?? throw Missing(rowAt + ".id", $"Row {j + 1} of section '{title}' has no Id."),
                        InputReader.GetString(row, rowAt + ".title", "Title") ?? throw Missing(rowAt + ".title", $"Row {j + 1} of section '{title}' has no Title."),
                        InputReader.GetString(row, rowAt + ".description", "Description")));
                }
                result.Add(new ListSection(title, rows));
            }
            return result;
        }

        public static List<ProductSection> ProductSections(object?[]? sections)
        {
            var result = new List<ProductSection>();
            var items = sections ?? new object?[0];
            for (int i = 0; i < items.Length; i++)
            {
                var section = InputReader.Unwrap(items[i]);
                if (section is ProductSection typed)
                {
                    result.Add(typed);
                    continue;
                }
                string at = "product_list.sections[" + i + "]";
                if (section is null) throw new SobotValidationException(at, $"Section {i + 1} is null.");
                string title = InputReader.GetString(section, at + ".title", "Title") ?? throw Missing(at + ".title", $"Section {i + 1} has no Title.");
                var ids = InputReader.GetList(section, "ProductRetailerId", "ProductRetailerIds", "product_retailer_id", "Products", "ProductItems", "product_items")
                    .Select(id => InputReader.Get(id, "product_retailer_id", "ProductRetailerId") ?? id)
                    .Select(id => id?.ToString() ?? string.Empty)
                    .ToList();
                if (ids.Count == 0) throw Missing(at + ".product_items", $"Section {i + 1} ('{title}') has no ProductRetailerId.");
                result.Add(new ProductSection(title, ids));
            }
            return result;
        }

        private static SobotValidationException Missing(string field, string message) => new SobotValidationException(field, message);
    }
}
