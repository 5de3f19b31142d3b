using System.Diagnostics;

namespace Sobot.Receiver;

/// <summary>
/// Stops the receiver when the process that started it ends (--exit-with-pid), however that process ended:
/// a receiver started from a PowerShell session for trying things must not outlive it unless asked.
/// </summary>
public sealed class ParentProcessWatch(int parentPid, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!IsRunning(parentPid))
            {
                lifetime.StopApplication();
                return;
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
