using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>A cmdlet whose output is typically piped to Export-Csv, with the switch that makes it safe to open in a spreadsheet.</summary>
    public interface ISpreadsheetOutput
    {
        SwitchParameter SafeForSpreadsheet { get; }
    }

    /// <summary>
    /// -SafeForSpreadsheet, in one place: an object as Export-Csv will see it, with every text property that a
    /// spreadsheet would read as a formula given a leading apostrophe (<see cref="SpreadsheetText"/>). The object stays
    /// what it was: the same type and type names (so the same views apply), the originals underneath. The changed values
    /// are note properties over the originals, and the other properties are noted beside them in their order, so the
    /// columns come out in the order they have without the switch.
    /// </summary>
    public static class SpreadsheetOutput
    {
        /// <summary>The same rule for any object a script exports (the rows Import-Customers.ps1 could not import, say).</summary>
        public static object? Inert(object? item)
        {
            if (item is null || item is string || item.GetType().IsPrimitive) return item;
            var wrapped = PSObject.AsPSObject(item);
            var properties = new List<(PSPropertyInfo Property, object? Value)>();
            foreach (var property in wrapped.Properties) properties.Add((property, ValueOf(property) is PSObject { BaseObject: string text } ? text : ValueOf(property)));
            if (!properties.Any(p => p.Value is string text && SpreadsheetText.StartsFormula(text))) return item;
            foreach (var (property, value) in properties)
            {
                object? shown = value is string text ? SpreadsheetText.Inert(text) : value;
                if (property is PSNoteProperty note) note.Value = shown;
                else if (property is PSProperty) wrapped.Properties.Add(new PSNoteProperty(property.Name, shown));   // a .NET property: the note goes over it
            }
            return wrapped;
        }

        private static object? ValueOf(PSPropertyInfo property)
        {
            try
            {
                return property.IsGettable ? property.Value : null;
            }
            catch (ExtendedTypeSystemException)
            {
                return null;
            }
        }
    }
}
