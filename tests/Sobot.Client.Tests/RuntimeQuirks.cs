using System.Runtime.InteropServices;

namespace Sobot.Client.Tests;

/// <summary>
/// What a runtime this suite also runs on lacks, for tests to skip themselves with the reason (reported as not run).
/// The .NET Framework test leg (tests/Sobot.Client.NetFx.Tests) runs these tests under Mono on Linux, a stand-in
/// for .NET Framework on Windows that differs from it in the ways named here (docs/design.md, "The .NET Framework test leg").
/// </summary>
internal static class RuntimeQuirks
{
    private static readonly bool IsMono = Type.GetType("Mono.Runtime") != null;

    /// <summary>
    /// Why the client cannot open its owner-only files (journals, state, secrets) here, or null when it can. On Linux
    /// and macOS it calls .NET's native shim, libSystem.Native; Mono has none (its libmono-native is an older copy,
    /// with the stat calls under other names, whose open refuses the client's flags). .NET Framework runs on Windows only, where the client
    /// opens these files through Windows' own file API instead.
    /// </summary>
    public static string? NoOwnerOnlyFiles =>
        IsMono && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? "Mono on Linux has no libSystem.Native, which the client's Unix file calls need; .NET Framework on Windows opens these files through Windows' file API instead."
            : null;
}
