namespace Sobot.Receiver.Tests;

/// <summary>A folder under the system temp directory for one test, removed afterwards; tests never write into the checkout.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sobot-receiver-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open by a dying child process; the OS temp cleaner takes it */ }
        catch (UnauthorizedAccessException) { }
    }
}
