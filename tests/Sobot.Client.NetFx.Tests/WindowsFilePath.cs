using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sobot.Client.Tests;

/// <summary>
/// On Mono on Linux, the client's files (journals, the opt-out cache) are opened the way .NET Framework opens them on
/// Windows: plain FileStreams whose share mode is the lock. That is the code Windows PowerShell 5.1 runs, and Mono
/// lacks the native shim the Unix path calls. Set before any test runs.
/// </summary>
internal static class WindowsFilePath
{
    [ModuleInitializer]
    internal static void Use()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) OwnerOnlyFiles.PlainFiles = true;
    }
}
