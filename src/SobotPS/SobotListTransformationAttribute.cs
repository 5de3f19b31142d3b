using System;
using System.Linq;
using System.Management.Automation;

namespace SobotPS
{
    /// <summary>A list parameter that also takes one CSV cell such as "vip;pune" (split on ';').</summary>
    public sealed class SobotListTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = InputReader.Unwrap(inputData);
            if (value is string s)
                return s.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
            return inputData;
        }
    }
}
