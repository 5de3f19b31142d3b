using System.Runtime.InteropServices;

namespace Sobot.Receiver;

/// <summary>
/// The receiver process creates everything for its owner alone: with umask 077, whatever it or a library creates
/// (SQLite's -wal and -shm, a file a future version adds) gets no bits for group and others, whatever the service
/// manager or the shell that started it set. Files the receiver creates on purpose are 0600 anyway (OwnerOnlyFiles);
/// this covers the rest.
/// </summary>
public static class ProcessUmask
{
    public static void MakeOwnerOnly()
    {
        if (!OperatingSystem.IsWindows()) Umask(0x3F); // 077
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
