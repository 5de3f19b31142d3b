using Sobot.Receiver;
using Sobot.Receiver.StoreCopy;

if (args.Length > 0 && args[0] == "copy-store")
    return await CopyStoreCommand.RunAsync(args[1..], Console.Out, Console.Error, Environment.GetEnvironmentVariable);

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(ReceiverOptions.Usage);
    return 0;
}

ReceiverOptions options;
ReceiverSecrets secrets;
try
{
    options = ReceiverOptions.Parse(args);
    secrets = ReceiverSecrets.Resolve(options, Environment.GetEnvironmentVariable);
}
catch (Exception ex) when (ex is ArgumentException || ex is IOException || ex is UnauthorizedAccessException)
{
    if (args.Contains("--handshake")) Console.WriteLine(ReadyLine.Error(ex.Message));
    Console.Error.WriteLine(ex.Message);
    return 2;
}

ReceiverHost host;
try
{
    host = await ReceiverHost.StartAsync(options, secrets);
}
catch (Exception ex)
{
    // Port taken, store unreadable, bad certificate: say so on the handshake channel too, so a launcher need not time out.
    if (options.Handshake) Console.WriteLine(ReadyLine.Error(ex.Message));
    Console.Error.WriteLine("The receiver could not start: " + ex.Message);
    return 1;
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
