using Sobot.Receiver;
using Sobot.Receiver.StoreCopy;

ProcessUmask.MakeOwnerOnly();

if (args.Length > 0 && args[0] == "copy-store")
    return await CopyStoreCommand.RunAsync(args[1..], Console.Out, Console.Error, Environment.GetEnvironmentVariable);

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(ReceiverOptions.Usage);
    return 0;
}

// A start that fails is one line (no stack trace) naming the path or port, on stderr and, with --handshake, on the
// handshake channel too, so a launcher need not time out: exit 2 for a command-line mistake, 1 for anything else.
int Fail(Exception ex, bool commandLine)
{
    var failure = StartFailure.Describe(ex, commandLine);
    if (args.Contains("--handshake")) Console.WriteLine(ReadyLine.Error(failure));
    Console.Error.WriteLine(failure.Message);
    return failure.ExitCode;
}

ReceiverOptions options;
ReceiverSecrets secrets;
try
{
    options = ReceiverOptions.Parse(args);
    if (options.UsePostgres)
    {
        try
        {
            options.ConnectionString = options.ResolveConnectionString(Environment.GetEnvironmentVariable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StartFailure.FileProblem("connection string file", options.ConnectionStringFile!, creating: false, ex);
        }
    }
    secrets = ReceiverSecrets.Resolve(options, Environment.GetEnvironmentVariable);
}
catch (Exception ex)
{
    return Fail(ex, commandLine: true);
}

ReceiverHost host;
try
{
    host = await ReceiverHost.StartAsync(options, secrets);
}
catch (Exception ex)
{
    return Fail(ex, commandLine: false);
}

await using (host)
{
    if (options.Handshake)
    {
        Console.WriteLine(ReadyLine.Ready(host, secrets));
        Console.Out.Flush();
    }
    await host.WaitForShutdownAsync();
}
return 0;
