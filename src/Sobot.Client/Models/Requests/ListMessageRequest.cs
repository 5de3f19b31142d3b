using System.Collections.Generic;
using System.Linq;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary><c>type: list</c>: a button that opens 1 to 10 sections holding at most 10 rows in all.</summary>
    public sealed class ListMessageRequest : InteractiveMessageRequest
    {
        public const int MaxButtonLength = 20;
        public const int MaxSections = 10;
        public const int MaxRows = 10;

        public ListMessageRequest(string customerNumber, string customerName, string message, string buttonText, IEnumerable<ListSection> sections, string? header, string? caption)
            : base(customerNumber, customerName, message, header, caption)
        {
            ListObj = new ListObject(buttonText, sections.ToList());
        }

        [System.Text.Json.Serialization.JsonPropertyOrder(-8)]
        public string Type => "list";

        public ListObject ListObj { get; }

        protected override string Kind => Type;

        protected override void ValidateInteractive()
        {
            Check.RequiredMaxLength(ListObj.Button, MaxButtonLength, "list_obj.button");
            Check.Count(ListObj.Sections.Count, 1, MaxSections, "list_obj.sections", "sections");
            int rows = 0;
            for (int i = 0; i < ListObj.Sections.Count; i++)
            {
                var section = ListObj.Sections[i];
                string at = "list_obj.sections[" + i + "]";
                Check.RequiredMaxLength(section.Title, ListSection.MaxTitleLength, at + ".title");
                Check.Count(section.Rows.Count, 1, MaxRows, at + ".rows", "rows");
                for (int j = 0; j < section.Rows.Count; j++)
                {
                    var row = section.Rows[j];
                    string rowAt = at + ".rows[" + j + "]";
                    Check.RequiredMaxLength(row.Id, ListRow.MaxIdLength, rowAt + ".id");
                    Check.RequiredMaxLength(row.Title, ListRow.MaxTitleLength, rowAt + ".title");
                    Check.MaxLength(row.Description, ListRow.MaxDescriptionLength, rowAt + ".description");
                }
                rows += section.Rows.Count;
            }
            if (rows > MaxRows)
                throw new SobotValidationException("list_obj.sections", $"The list holds {rows} rows across its sections; Sobot allows at most {MaxRows}.");
            var ids = ListObj.Sections.SelectMany(s => s.Rows).Select(r => r.Id).ToList();
            if (ids.Distinct().Count() != ids.Count)
                throw new SobotValidationException("list_obj.sections", "Row ids must be unique across the list: the reply tells which row was picked by its id.");
        }
    }

    public sealed class ListObject
    {
        public ListObject(string button, IReadOnlyList<ListSection> sections)
        {
            Button = button;
            Sections = sections;
        }

        public string Button { get; }

        public IReadOnlyList<ListSection> Sections { get; }
    }

    /// <summary>A section of a list message: a title of at most 24 characters and its rows.</summary>
    public sealed class ListSection
    {
        public const int MaxTitleLength = 24;

        public ListSection(string title, IEnumerable<ListRow> rows)
        {
            Title = title;
            Rows = rows.ToList();
        }

        public string Title { get; }

        public IReadOnlyList<ListRow> Rows { get; }

        public override string ToString() => Title + " (" + Rows.Count + " rows)";
    }

    /// <summary>A row: id at most 200, title at most 24, optional description at most 72 characters.</summary>
    public sealed class ListRow
    {
        public const int MaxIdLength = 200;
        public const int MaxTitleLength = 24;
        public const int MaxDescriptionLength = 72;

        public ListRow(string id, string title, string? description = null)
        {
            Id = id;
            Title = title;
            Description = string.IsNullOrEmpty(description) ? null : description;
        }

        public string Id { get; }

        public string Title { get; }

        public string? Description { get; }

        public override string ToString() => Id + ": " + Title;
    }
}
