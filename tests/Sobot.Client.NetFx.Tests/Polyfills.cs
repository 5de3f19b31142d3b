// What the linked tests use from .NET that .NET Framework 4.7.2 lacks, for the compiler only (no behaviour
// differs): the types behind records, init, ranges and indices, and a few more.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}

namespace System
{
    internal readonly struct Index
    {
        private readonly int _value;
        public Index(int value, bool fromEnd = false) => _value = fromEnd ? ~value : value;
        public static Index Start => new(0);
        public static Index End => new(0, true);
        public int Value => _value < 0 ? ~_value : _value;
        public bool IsFromEnd => _value < 0;
        public int GetOffset(int length) => IsFromEnd ? length - Value : Value;
        public static implicit operator Index(int value) => new(value);
        public static Index FromStart(int value) => new(value);
        public static Index FromEnd(int value) => new(value, true);
    }

    internal readonly struct Range
    {
        public Range(Index start, Index end) { Start = start; End = end; }
        public Index Start { get; }
        public Index End { get; }
        public static Range StartAt(Index start) => new(start, Index.End);
        public static Range EndAt(Index end) => new(Index.Start, end);
        public static Range All => new(Index.Start, Index.End);
        public (int Offset, int Length) GetOffsetAndLength(int length)
        {
            int start = Start.GetOffset(length), end = End.GetOffset(length);
            if ((uint)end > (uint)length || (uint)start > (uint)end) throw new ArgumentOutOfRangeException(nameof(length));
            return (start, end - start);
        }
    }
}

namespace System.Threading.Tasks
{
    /// <summary>.NET's TaskCompletionSource without a result, over the generic one.</summary>
    internal sealed class TaskCompletionSource
    {
        private readonly TaskCompletionSource<object?> _inner;
        public TaskCompletionSource(TaskCreationOptions options) => _inner = new TaskCompletionSource<object?>(options);
        public Task Task => _inner.Task;
        public void SetResult() => _inner.SetResult(null);
        public bool TrySetResult() => _inner.TrySetResult(null);
        public bool TrySetCanceled() => _inner.TrySetCanceled();
        public bool TrySetException(Exception exception) => _inner.TrySetException(exception);
    }
}

namespace System.Runtime.Versioning
{
    [AttributeUsage(AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    internal sealed class UnsupportedOSPlatformAttribute : Attribute
    {
        public UnsupportedOSPlatformAttribute(string platformName) => PlatformName = platformName;
        public string PlatformName { get; }
    }

    [AttributeUsage(AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    internal sealed class SupportedOSPlatformAttribute : Attribute
    {
        public SupportedOSPlatformAttribute(string platformName) => PlatformName = platformName;
        public string PlatformName { get; }
    }
}

namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class ModuleInitializerAttribute : Attribute { }
}
