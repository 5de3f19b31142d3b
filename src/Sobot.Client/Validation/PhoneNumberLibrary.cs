using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Sobot.Client.Validation
{
    /// <summary>
    /// libphonenumber (PhoneNumbers.dll), reached by reflection only. On .NET (PowerShell 7) the copy shipped
    /// beside this assembly loads into an AssemblyLoadContext of its own, so another module that loaded a
    /// different version of PhoneNumbers.dll first cannot break SobotPS, and SobotPS cannot break it. On .NET
    /// Framework (Windows PowerShell 5.1) it loads from this folder with LoadFrom, which keeps its own copy
    /// apart from one another module loaded from elsewhere. No code here names a PhoneNumbers type, so the
    /// runtime never binds one in the shared context.
    /// </summary>
    internal sealed class PhoneNumberLibrary
    {
        private static readonly Lazy<PhoneNumberLibrary> Shared = new Lazy<PhoneNumberLibrary>(() => new PhoneNumberLibrary());

        private readonly object _util;
        private readonly MethodInfo _parse;
        private readonly MethodInfo _isValid;
        private readonly MethodInfo _nationalNumber;
        private readonly MethodInfo _supportedRegions;
        private readonly MethodInfo _countryCodeForRegion;
        private readonly PropertyInfo _countryCode;
        private readonly Type _parseException;

        public static PhoneNumberLibrary Instance => Shared.Value;

        /// <summary>How the library was loaded ("isolated", "load-from"), for the design notes and tests.</summary>
        public string LoadMode { get; }

        public Assembly Assembly { get; }

        private PhoneNumberLibrary()
        {
            string path = Path.Combine(Path.GetDirectoryName(typeof(PhoneNumberLibrary).Assembly.Location) ?? ".", "PhoneNumbers.dll");
            (Assembly, LoadMode) = Load(path);
            var utilType = Assembly.GetType("PhoneNumbers.PhoneNumberUtil", throwOnError: true)!;
            var numberType = Assembly.GetType("PhoneNumbers.PhoneNumber", throwOnError: true)!;
            _parseException = Assembly.GetType("PhoneNumbers.NumberParseException", throwOnError: true)!;
            _util = utilType.GetMethod("GetInstance", Type.EmptyTypes)!.Invoke(null, null)!;
            _parse = utilType.GetMethod("Parse", new[] { typeof(string), typeof(string) })!;
            _isValid = utilType.GetMethod("IsValidNumber", new[] { numberType })!;
            _nationalNumber = utilType.GetMethod("GetNationalSignificantNumber", new[] { numberType })!;
            _supportedRegions = utilType.GetMethod("GetSupportedRegions", Type.EmptyTypes)!;
            _countryCodeForRegion = utilType.GetMethod("GetCountryCodeForRegion", new[] { typeof(string) })!;
            _countryCode = numberType.GetProperty("CountryCode")!;
        }

        private static (Assembly, string) Load(string path)
        {
            // AssemblyLoadContext exists on .NET Core 3+ only; netstandard2.0 cannot name it, so it is found at run time.
            var contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false)
                              ?? Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);
            var constructor = contextType?.GetConstructor(new[] { typeof(string), typeof(bool) });
            if (constructor != null && File.Exists(path))
            {
                var context = constructor.Invoke(new object[] { "SobotPS.PhoneNumbers", false });
                var load = contextType!.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
                return ((Assembly)load.Invoke(context, new object[] { path })!, "isolated");
            }
            return (File.Exists(path) ? Assembly.LoadFrom(path) : Assembly.Load(new AssemblyName("PhoneNumbers")), "load-from");
        }

        /// <summary>The parsed number's (country code, national significant number) when valid, else null.</summary>
        public (int CountryCode, string National)? ParseValid(string text, string region)
        {
            object number;
            try
            {
                number = _parse.Invoke(_util, new object[] { text, region })!;
            }
            catch (TargetInvocationException ex) when (ex.InnerException != null && _parseException.IsInstanceOfType(ex.InnerException))
            {
                return null;
            }
            if (!(bool)_isValid.Invoke(_util, new[] { number })!) return null;
            return ((int)_countryCode.GetValue(number)!, (string)_nationalNumber.Invoke(_util, new[] { number })!);
        }

        private HashSet<string>? _regions;

        public IReadOnlyCollection<string> SupportedRegions =>
            _regions ??= new HashSet<string>((IEnumerable<string>)_supportedRegions.Invoke(_util, null)!, StringComparer.Ordinal);

        public int CountryCodeForRegion(string region) => (int)_countryCodeForRegion.Invoke(_util, new object[] { region })!;
    }
}
