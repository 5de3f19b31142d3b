namespace Sobot.Receiver.Store;

/// <summary>The store could not do what was asked (disk full, file locked, store shut down). Ingress answers 503.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
