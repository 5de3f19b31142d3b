using Microsoft.AspNetCore.Connections;
using Sobot.Client;

namespace Sobot.Receiver;

/// <summary>
/// A start that failed for a reason the receiver can name: the path or port involved is in the message, and
/// <see cref="Reason"/> is one of the <see cref="StartFailure"/> constants.
/// </summary>
public sealed class ReceiverStartException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Why the receiver could not start, as a launcher and a person need it: one line (no stack trace) naming the path or
/// port, a reason a program can test, and the exit code: 2 for a command-line mistake, 1 for everything else.
/// </summary>
/// <param name="Path">With <see cref="UnsafePath"/>: the file or folder refused.</param>
/// <param name="Fix">With <see cref="UnsafePath"/>: what makes it safe (<c>chmod 600 '/srv/x.token'</c>).</param>
public sealed record StartFailure(int ExitCode, string Reason, string Message, string? Path = null, string? Fix = null)
{
    public const string CommandLine = "commandLine";
    public const string PortInUse = "portInUse";
    public const string StoreLocked = "storeLocked";
    public const string AccessDenied = "accessDenied";
    public const string StartFailed = "startFailed";
    /// <summary>A file or folder another user could read, change or plant (a token file others can read, a symbolic link beside the store).</summary>
    public const string UnsafePath = "unsafePath";

    /// <param name="commandLine">True while the options and secrets are read: an ArgumentException then is the user's mistake.</param>
    public static StartFailure Describe(Exception ex, bool commandLine)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } single) ex = single.InnerException!;
        return ex switch
        {
            UnsafePathException or ReceiverStartException { InnerException: UnsafePathException } => Unsafe(ex as UnsafePathException ?? (UnsafePathException)ex.InnerException!),
            ReceiverStartException known => new StartFailure(1, known.Reason, OneLine(known.Message)),
            ArgumentException when commandLine => new StartFailure(2, CommandLine, OneLine(ex.Message)),
            UnauthorizedAccessException => new StartFailure(1, AccessDenied, OneLine(ex.Message)),
            IOException { InnerException: AddressInUseException } => new StartFailure(1, PortInUse, OneLine(ex.Message)),
            _ => new StartFailure(1, StartFailed, OneLine("The receiver could not start: " + ex.Message)),
        };
    }

    private static StartFailure Unsafe(UnsafePathException ex) => new(1, UnsafePath, OneLine(ex.Message), ex.Path, ex.Fix);

    /// <summary>A file the receiver needs that it cannot read or create, named with the reason (a refused one: its own message).</summary>
    public static ReceiverStartException FileProblem(string what, string path, bool creating, Exception ex)
    {
        if (ex is UnsafePathException unsafePath) return new ReceiverStartException(UnsafePath, unsafePath.Message, unsafePath);
        string full = System.IO.Path.GetFullPath(path);
        string where = creating ? System.IO.Path.GetDirectoryName(full) ?? full : full;
        string why = ex is UnauthorizedAccessException ? $"access to {where} is denied for this user" : ex.Message.TrimEnd('.');
        return new ReceiverStartException(ex is UnauthorizedAccessException ? AccessDenied : StartFailed,
            $"Cannot {(creating ? "create" : "read")} the {what} {full}: {why}.", ex);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
