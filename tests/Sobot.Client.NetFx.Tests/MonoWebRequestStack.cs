using System.Runtime.CompilerServices;
using Sobot.Client.Http;

namespace Sobot.Client.Tests
{
    /// <summary>
    /// Under Mono, every client the leg builds without a handler of its own (the emulator's, the receiver's, the
    /// tests' own through SobotHttpHandler.Create) gets Mono's HttpWebRequest-based handler, the design .NET
    /// Framework's HttpClientHandler has, set up by SobotHttpHandler.Wrap as the module sets up any handler; Mono's
    /// own default would wrap a port of .NET's SocketsHttpHandler. Set before any test runs.
    /// </summary>
    internal static class MonoWebRequestStack
    {
        [ModuleInitializer]
        internal static void Use()
        {
            if (Type.GetType("Mono.Runtime") != null) SobotHttpHandler.NewHandler = TransportTests.MonoWebRequestHandler;
        }
    }

    public sealed class MonoWebRequestStackTests
    {
        [SkippableFact]
        public void The_leg_builds_its_clients_over_HttpWebRequest()
        {
            Skip.If(Type.GetType("Mono.Runtime") is null, "not under Mono: .NET Framework's HttpClientHandler is over HttpWebRequest already");
            using var handler = SobotHttpHandler.NewHandler?.Invoke() ?? new HttpClientHandler();
            var inner = typeof(HttpClientHandler).GetField("_delegatingHandler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(handler);
            Assert.Equal("MonoWebRequestHandler", inner?.GetType().Name);
        }
    }
}
