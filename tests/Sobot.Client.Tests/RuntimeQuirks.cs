namespace Sobot.Client.Tests;

/// <summary>
/// What a runtime this suite also runs on lacks, for tests to skip themselves with the reason (reported as not run).
/// The .NET Framework test leg (tests/Sobot.Client.NetFx.Tests) runs these tests under Mono on Linux, a stand-in
/// for .NET Framework on Windows that differs from it in the ways named here (docs/design.md, "The .NET Framework test leg").
/// </summary>
internal static class RuntimeQuirks
{
    /// <summary>
    /// Why a test of Unix file modes, owners or links cannot run here, or null when it can. The .NET Framework leg opens
    /// the client's files the way .NET Framework does on Windows (OwnerOnlyFiles.PlainFiles): no modes and no owners to
    /// check, a file takes its folder's access list, and the share mode is the lock.
    /// </summary>
    public static string? NoFileModes =>
        !OwnerOnlyFiles.PlainFiles ? null
        : System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
            ? "Windows has no Unix file modes or owners: a file takes its folder's access list."
            : "The .NET Framework leg opens files as .NET Framework does on Windows: no Unix modes or owners (a file takes its folder's access list there).";
}
