using System.Diagnostics;
using System.Runtime.InteropServices;

// .NET members the linked tests call that .NET Framework lacks, as C# 14 static extensions: the tests stay as
// they are on net10, and here the call goes to an equivalent.
namespace Sobot.Client.Tests;

internal static class NetFxShims
{
    extension(double)
    {
        public static bool IsFinite(double d) => !double.IsNaN(d) && !double.IsInfinity(d);
    }

    extension(OperatingSystem)
    {
        public static bool IsWindows() => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        public static bool IsLinux() => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        public static bool IsMacOS() => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
    }

    extension(Environment)
    {
        public static int ProcessId => Process.GetCurrentProcess().Id;
    }

    extension(System.Net.HttpStatusCode)
    {
        public static System.Net.HttpStatusCode TooManyRequests => (System.Net.HttpStatusCode)429;
    }

    public static Task<string> ReadAsStringAsync(this HttpContent content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return content.ReadAsStringAsync();
    }

    public static string[] Split(this string text, char separator, int count, StringSplitOptions options) =>
        text.Split(new[] { separator }, count, options);

    public static string[] Split(this string text, char separator, int count) =>
        text.Split(new[] { separator }, count);

    public static string[] Split(this string text, char separator, StringSplitOptions options) =>
        text.Split(new[] { separator }, options);

    public static string[] Split(this string text, string separator, StringSplitOptions options = StringSplitOptions.None) =>
        text.Split(new[] { separator }, options);

    extension(File)
    {
        /// <summary>The permission bits, read by stat(1): no P/Invoke into a struct whose layout varies by platform.</summary>
        public static UnixFileMode GetUnixFileMode(string path)
        {
            var psi = new ProcessStartInfo("stat", "-c %a -- \"" + path.Replace("\"", "\\\"") + "\"") { UseShellExecute = false, RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            string octal = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new IOException("stat failed for " + path);
            return (UnixFileMode)Convert.ToInt32(octal, 8);
        }

        public static void SetUnixFileMode(string path, UnixFileMode mode)
        {
            if (chmod(path, (uint)mode) != 0) throw new IOException($"chmod failed for {path} (errno {Marshal.GetLastWin32Error()})");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int chmod(string path, uint mode);
}

[Flags]
internal enum UnixFileMode
{
    None = 0,
    OtherExecute = 1, OtherWrite = 2, OtherRead = 4,
    GroupExecute = 8, GroupWrite = 16, GroupRead = 32,
    UserExecute = 64, UserWrite = 128, UserRead = 256,
    StickyBit = 512, SetGroup = 1024, SetUser = 2048,
}
