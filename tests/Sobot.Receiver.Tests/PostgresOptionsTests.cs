namespace Sobot.Receiver.Tests;

/// <summary>--store postgres, where the connection string comes from, and --retention-days.</summary>
public class PostgresOptionsTests
{
    [Fact]
    public void SQLite_stays_the_default_and_postgres_is_chosen_by_name()
    {
        Assert.False(ReceiverOptions.Parse([]).UsePostgres);
        Assert.False(ReceiverOptions.Parse(["--store", "./postgres"]).UsePostgres);
        var o = ReceiverOptions.Parse(["--store", "postgres", "--connection-string-file", "cs.txt", "--retention-days", "30"]);
        Assert.True(o.UsePostgres);
        Assert.Equal(("cs.txt", 30), (o.ConnectionStringFile, o.RetentionDays));
        Assert.True(ReceiverOptions.Parse(["--store", "PostgreSQL"]).UsePostgres);
    }

    [Theory]
    [InlineData("--connection-string", "Host=x")]
    [InlineData("--store", "postgres", "--connection-string", "Host=x", "--connection-string-file", "f")]
    [InlineData("--retention-days", "0")]
    [InlineData("--retention-days", "-3")]
    public void Contradictions_and_bad_values_are_refused(params string[] args) =>
        Assert.Throws<ArgumentException>(() => ReceiverOptions.Parse(args));

    [Fact]
    public void The_connection_string_comes_from_the_option_the_file_or_the_environment()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("cs"), "Host=from-file\n");
        string? Environment(string name) => name == ReceiverOptions.ConnectionStringVariable ? "Host=from-env" : null;
        Assert.Equal("Host=given", ReceiverOptions.Parse(["--store", "postgres", "--connection-string", "Host=given"]).ResolveConnectionString(Environment));
        Assert.Equal("Host=from-file", ReceiverOptions.Parse(["--store", "postgres", "--connection-string-file", folder.File("cs")]).ResolveConnectionString(Environment));
        Assert.Equal("Host=from-env", ReceiverOptions.Parse(["--store", "postgres"]).ResolveConnectionString(Environment));
        var missing = Assert.Throws<ArgumentException>(() => ReceiverOptions.Parse(["--store", "postgres"]).ResolveConnectionString(_ => null));
        Assert.Contains(ReceiverOptions.ConnectionStringVariable, missing.Message, StringComparison.Ordinal);
    }
}
