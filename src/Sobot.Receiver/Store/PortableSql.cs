using System.Data.Common;

namespace Sobot.Receiver.Store;

/// <summary>
/// Commands for SQL both stores understand (SQLite and PostgreSQL through Npgsql both take <c>@name</c> parameters),
/// so logic that is the same on both is written once: the schema 3 upgrade and the consumer leases.
/// </summary>
internal static class PortableSql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows of a query, each as its values.</summary>
    public static Task<List<object?[]>> RowsAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        RowsAsync(connection, transaction, sql, _ => true, cancellationToken, parameters);

    /// <summary>The rows of a query that <paramref name="keep"/> accepts: a large table is read once without holding all of it.</summary>
    public static async Task<List<object?[]>> RowsAsync(DbConnection connection, DbTransaction? transaction, string sql, Func<object?[], bool> keep, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            if (keep(row)) rows.Add(row);
        }
        return rows;
    }

    public static long Long(object? value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
}
