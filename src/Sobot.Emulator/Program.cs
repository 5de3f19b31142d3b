using Sobot.Emulator;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(EmulatorOptions.Usage);
    return 0;
}

EmulatorOptions options;
try
{
    options = EmulatorOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

await using var emulator = await EmulatorHost.StartAsync(options);
// Scripts and tests read the first line to learn the port.
Console.WriteLine($"Sobot emulator listening on {emulator.BaseUri.AbsoluteUri.TrimEnd('/')}");
Console.WriteLine($"Access key: {options.AccessKey}");
Console.WriteLine($"Secret key: {options.SecretKey}");
Console.WriteLine("Press Ctrl+C to stop.");
await emulator.WaitForShutdownAsync();
return 0;
