using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SobotPS
{
    /// <summary>
    /// On Import-Module: on Windows PowerShell 5.1 (.NET Framework), resolves the helper DLLs we ship by name
    /// whatever version was asked for (PowerShell has no binding redirects for modules); then starts
    /// loading what the first send needs, in the background. See docs/design.md.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>
        /// The names of the assemblies that ship in the module folder: ShippedAssemblies.txt, the list build.ps1
        /// copies, embedded in this DLL so the two cannot differ.
        /// </summary>
        internal static readonly string[] Shipped = ReadShippedList();

        private const string ShippedListResource = "SobotPS.ShippedAssemblies.txt";

        private static readonly string Folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        internal static bool OnNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public void OnImport()
        {
            if (OnNetFramework) AppDomain.CurrentDomain.AssemblyResolve += ResolveShipped;
            Sobot.Client.Warmup.Start();
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (OnNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveShipped;
        }

        /// <summary>One file name a line; blank lines and '#' comments are skipped (as build/ShippedAssemblies.ps1 does).</summary>
        private static string[] ReadShippedList()
        {
            using var stream = typeof(ModuleInitializer).Assembly.GetManifestResourceStream(ShippedListResource)
                               ?? throw new InvalidOperationException($"SobotPS.dll was built without its {ShippedListResource} resource.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd()
                .Split('\n')
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith("#", StringComparison.Ordinal))
                .Select(Path.GetFileNameWithoutExtension)
                .ToArray();
        }

        /// <summary>
        /// .NET Framework asks for the exact versions our dependencies were compiled against (System.Memory
        /// 4.0.1.2 for System.Text.Json, say); the copies we ship may be newer. Answer with ours, and only for
        /// names we ship, so no other module's request is touched.
        /// </summary>
        private static Assembly? ResolveShipped(object? sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            if (!Shipped.Contains(name, StringComparer.OrdinalIgnoreCase)) return null;
            string path = Path.Combine(Folder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
