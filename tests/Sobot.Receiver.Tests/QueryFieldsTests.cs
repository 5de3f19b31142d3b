using Sobot.Client.Receiver;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Tests;

/// <summary>
/// The fields <c>GET /v1/events</c> filters on are declared once (<see cref="ReceiverQueryFields"/>): the query path
/// (parsing, the stores' WHERE clause, the long polls' keys) reads that list. These tests hold the docs' parameter table
/// and the SQL to it; QueryApiTests, LongPollTests and the store contracts hold the behaviour.
/// </summary>
public class QueryFieldsTests
{
    [Fact]
    public void The_docs_parameter_table_of_get_events_names_every_queryable_field()
    {
        string docs = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "systemd", "receiver.md"));
        int section = docs.IndexOf("### `GET /v1/events`", StringComparison.Ordinal);
        Assert.True(section >= 0, "docs/receiver.md has no '### `GET /v1/events`' section");
        var parameters = docs[section..].Split('\n').SkipWhile(line => !line.StartsWith("| parameter", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(line => line.StartsWith('|')).Select(line => line.Split('|')[1].Trim().Trim('`')).ToList();
        var missing = ReceiverQueryFields.All.Select(f => f.Name).Except(parameters).ToList();
        Assert.True(missing.Count == 0, $"docs/receiver.md's GET /v1/events table lacks: [{string.Join(", ", missing)}]; it lists [{string.Join(", ", parameters)}].");
    }

    [Fact]
    public void Each_queryable_field_given_one_value_is_one_condition_on_its_column_in_declared_order()
    {
        var query = new EventQuery { Values = ReceiverQueryFields.All.ToDictionary(f => f.Name, f => (IReadOnlyList<string>)[f.Name + "-value"]) };
        Assert.Equal(
            ReceiverQueryFields.All.Select(f => (f.Column + " = @", (object)(f.Name + "-value"))),
            StoreRows.EventFilters(query));
        Assert.Empty(StoreRows.ManyValues(query));
    }

    [Fact]
    public void A_queryable_field_given_several_values_is_left_to_the_stores_any_of_condition()
    {
        var query = new EventQuery { Values = ReceiverQueryFields.All.ToDictionary(f => f.Name, f => (IReadOnlyList<string>)["a", "b"]) };
        Assert.Empty(StoreRows.EventFilters(query));
        Assert.Equal(ReceiverQueryFields.All.Select(f => f.Column), StoreRows.ManyValues(query).Select(m => m.Column));
        Assert.All(StoreRows.ManyValues(query), m => Assert.Equal(["a", "b"], m.Values));
    }

    [Fact]
    public void The_long_polls_read_the_column_of_every_queryable_field()
    {
        var columns = StoreRows.EventKeyColumns.Split(", ");
        Assert.Equal(["seq", "kind", "effective_at", .. ReceiverQueryFields.All.Select(f => f.Column)], columns);
    }

    [Fact]
    public void The_typed_views_of_a_query_are_its_values()
    {
        var query = new EventQuery { CustomerNumbers = ["919876500040"], MessageId = "wamid.M" };
        Assert.Equal(["919876500040"], query.Values[ReceiverQueryFields.CustomerNumber.Name]);
        Assert.Equal(["wamid.M"], query.Values[ReceiverQueryFields.MessageId.Name]);
        Assert.Null(new EventQuery { CustomerNumbers = [] }.CustomerNumbers);
        var filter = new ReceiverEventFilter { CustomerNumbers = ["1"], MessageId = "m" };
        Assert.Equal(["1"], filter.Values[ReceiverQueryFields.CustomerNumber.Name]);
        Assert.Equal(["m"], filter.Values[ReceiverQueryFields.MessageId.Name]);
    }
}
