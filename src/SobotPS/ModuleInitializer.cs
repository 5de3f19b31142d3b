using System.Management.Automation;

namespace SobotPS
{
    /// <summary>On Import-Module: starts loading what the first send needs, in the background.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public void OnImport() => Sobot.Client.Warmup.Start();
    }
}
