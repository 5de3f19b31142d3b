namespace Sobot.Receiver.StoreCopy;

/// <summary><c>Sobot.Receiver copy-store --from FILE --to-connection-string-file FILE</c>: the command line of <see cref="SqliteToPostgresCopy"/>.</summary>
public static class CopyStoreCommand
{
    public const string Usage = $"""
        Copies a SQLite event store into PostgreSQL (events with their raw bodies, statuses, consumers,
        the opt-out list with its stop/start decisions, and each number's last inbound message).
        Safe to run again: only what is missing is copied. Copy before receivers write to the database.

        Usage: Sobot.Receiver copy-store --from PATH (--to-connection-string-file PATH | --to-connection-string TEXT)

          --from PATH                        the SQLite store (sobot-events.db); read only
          --to-connection-string-file PATH   a file holding the Npgsql connection string, or
                                             {ReceiverOptions.ConnectionStringVariable} in the environment, or
          --to-connection-string TEXT        on the command line (visible to other users: avoid with a password)
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors, Func<string, string?> environment)
    {
        string? from = null;
        var target = new ReceiverOptions { UsePostgres = true };
        try
        {
            for (int i = 0; i < args.Count; i++)
            {
                string name = args[i];
                string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
                switch (name.ToLowerInvariant())
                {
                    case "--from": from = Value(); break;
                    case "--to-connection-string-file": target.ConnectionStringFile = Value(); break;
                    case "--to-connection-string": target.ConnectionString = Value(); break;
                    case "--help" or "-h": output.WriteLine(Usage); return 0;
                    default: throw new ArgumentException($"Unknown option '{name}'. Use copy-store --help.");
                }
            }
            if (from == null) throw new ArgumentException("copy-store needs --from PATH (the SQLite store).");
            string connectionString = target.ResolveConnectionString(environment);
            var counts = await SqliteToPostgresCopy.RunAsync(from, connectionString).ConfigureAwait(false);
            output.WriteLine("Copied " + counts);
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException || ex is IOException || ex is UnauthorizedAccessException)
        {
            errors.WriteLine(ex.Message);
            return 2;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException || ex is Microsoft.Data.Sqlite.SqliteException || ex is InvalidOperationException || ex is Sobot.Receiver.Store.StoreUnavailableException)
        {
            errors.WriteLine("The copy stopped: " + ex.Message + " (running it again resumes it).");
            return 1;
        }
    }
}
