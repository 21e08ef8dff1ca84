// SPDX-License-Identifier: Apache-2.0
// BindHandleInterceptorGenerator.cs - with <SgioInterceptBindHandle>true</SgioInterceptBindHandle>,
// every call of ThreadPool.BindHandle, ThreadPoolBoundHandle.BindHandle and
// ThreadPool.UnsafeQueueNativeOverlapped in the project is intercepted (C# interceptors, the
// hash-based InterceptsLocation(int, string) form) and routed to Sgio.Threading.SgioThreadPool,
// which calls the real API on Windows and binds to sgio's completion port elsewhere. Nothing else in
// the code changes: Overlapped.Pack/Unpack and ThreadPoolBoundHandle's members stay as written.
using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sgio.Interceptors
{
    /// <summary>The opt-in BindHandle interceptor.</summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class BindHandleInterceptorGenerator : IIncrementalGenerator
    {
        /// <summary>The MSBuild property that switches it on (CompilerVisibleProperty in Sgio.targets).</summary>
        public const string Property = "SgioInterceptBindHandle";

        /// <summary>The namespace of the generated interceptors (the consumer's InterceptorsNamespaces lists it).</summary>
        public const string Namespace = "Sgio.Generated";

        // An intercepted API: what it is, and the interceptor method that replaces it.
        private sealed class Target
        {
            public Target(string type, string name, string parameter, string method, string signature, string body)
            {
                Type = type; Name = name; Parameter = parameter; Method = method; Signature = signature; Body = body;
            }
            public string Type { get; }
            public string Name { get; }
            public string Parameter { get; }
            public string Method { get; }
            public string Signature { get; }
            public string Body { get; }
        }

        private static readonly Target[] s_targets =
        {
            new Target("System.Threading.ThreadPool", "BindHandle", "System.Runtime.InteropServices.SafeHandle", "ThreadPoolBindHandle",
                       "static bool ThreadPoolBindHandle(global::System.Runtime.InteropServices.SafeHandle osHandle)",
                       "global::Sgio.Threading.SgioThreadPool.BindHandle(osHandle)"),
            new Target("System.Threading.ThreadPool", "BindHandle", "System.IntPtr", "ThreadPoolBindHandleIntPtr",
                       "static bool ThreadPoolBindHandleIntPtr(global::System.IntPtr osHandle)",
                       "global::Sgio.Threading.SgioThreadPool.BindHandle(osHandle)"),
            new Target("System.Threading.ThreadPool", "UnsafeQueueNativeOverlapped", "System.Threading.NativeOverlapped*", "ThreadPoolUnsafeQueueNativeOverlapped",
                       "static unsafe bool ThreadPoolUnsafeQueueNativeOverlapped(global::System.Threading.NativeOverlapped* overlapped)",
                       "global::Sgio.Threading.SgioThreadPool.UnsafeQueueNativeOverlapped(overlapped)"),
            new Target("System.Threading.ThreadPoolBoundHandle", "BindHandle", "System.Runtime.InteropServices.SafeHandle", "ThreadPoolBoundHandleBindHandle",
                       "static global::System.Threading.ThreadPoolBoundHandle ThreadPoolBoundHandleBindHandle(global::System.Runtime.InteropServices.SafeHandle handle)",
                       "global::Sgio.Threading.SgioThreadPool.BindThreadPoolBoundHandle(handle)"),
        };

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValueProvider<bool> enabled = context.AnalyzerConfigOptionsProvider.Select((options, _) =>
                options.GlobalOptions.TryGetValue("build_property." + Property, out string? value) &&
                string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase));
            IncrementalValuesProvider<(int Target, int Version, string Data, string Where)> calls = context.SyntaxProvider
                .CreateSyntaxProvider(static (node, _) => IsCandidate(node), static (c, ct) => Classify(c, ct))
                .Where(static c => c.Target >= 0);
            context.RegisterSourceOutput(calls.Collect().Combine(enabled), static (output, input) =>
            {
                if (input.Right && !input.Left.IsEmpty)
                    output.AddSource("SgioBindHandleInterceptors.g.cs", Emit(input.Left));
            });
        }

        private static bool IsCandidate(SyntaxNode node)
        {
            if (node is not InvocationExpressionSyntax invocation)
                return false;
            string? name = invocation.Expression switch
            {
                MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
                IdentifierNameSyntax i => i.Identifier.ValueText, // using static System.Threading.ThreadPool
                _ => null,
            };
            return name == "BindHandle" || name == "UnsafeQueueNativeOverlapped";
        }

        private static (int Target, int Version, string Data, string Where) Classify(GeneratorSyntaxContext context, CancellationToken ct)
        {
            var invocation = (InvocationExpressionSyntax)context.Node;
            if (context.SemanticModel.GetSymbolInfo(invocation, ct).Symbol is not IMethodSymbol method || method.Parameters.Length != 1)
                return (-1, 0, "", "");
            string type = method.ContainingType.ToDisplayString();
            ITypeSymbol p = method.Parameters[0].Type;
            // System.IntPtr displays as "nint" where IntPtr is numeric (C# 11+ on .NET 7+).
            string parameter = p.SpecialType == SpecialType.System_IntPtr ? "System.IntPtr" : p.ToDisplayString();
            int target = Array.FindIndex(s_targets, t => t.Type == type && t.Name == method.Name && t.Parameter == parameter);
            if (target < 0)
                return (-1, 0, "", "");
            var location = context.SemanticModel.GetInterceptableLocation(invocation, ct);
            if (location == null)
                return (-1, 0, "", "");
            return (target, location.Version, location.Data, location.GetDisplayLocation());
        }

        private static string Emit(ImmutableArray<(int Target, int Version, string Data, string Where)> calls)
        {
            var sb = new StringBuilder();
            sb.AppendLine("// <auto-generated/> by Sgio.Interceptors (SgioInterceptBindHandle=true): ThreadPool.BindHandle and");
            sb.AppendLine("// ThreadPoolBoundHandle.BindHandle routed to Sgio.Threading.SgioThreadPool (the real API on Windows).");
            sb.AppendLine("#nullable enable");
            sb.AppendLine("namespace System.Runtime.CompilerServices");
            sb.AppendLine("{");
            sb.AppendLine("    [global::System.AttributeUsage(global::System.AttributeTargets.Method, AllowMultiple = true)]");
            sb.AppendLine("    file sealed class InterceptsLocationAttribute : global::System.Attribute");
            sb.AppendLine("    {");
            sb.AppendLine("        public InterceptsLocationAttribute(int version, string data) { _ = version; _ = data; }");
            sb.AppendLine("    }");
            sb.AppendLine("}");
            sb.AppendLine();
            sb.AppendLine("namespace " + Namespace);
            sb.AppendLine("{");
            sb.AppendLine("    file static class SgioBindHandleInterceptors");
            sb.AppendLine("    {");
            for (int t = 0; t < s_targets.Length; t++)
            {
                var sites = calls.Where(c => c.Target == t).OrderBy(c => c.Where, StringComparer.Ordinal).ToList();
                if (sites.Count == 0)
                    continue;
                foreach (var site in sites)
                    sb.AppendLine($"        [global::System.Runtime.CompilerServices.InterceptsLocation({site.Version}, \"{site.Data}\")] // {site.Where}");
                sb.AppendLine("#pragma warning disable CS0618 // ThreadPool.BindHandle(IntPtr) is obsolete; its call site chose it");
                sb.AppendLine($"        internal {s_targets[t].Signature} => {s_targets[t].Body};");
                sb.AppendLine("#pragma warning restore CS0618");
                sb.AppendLine();
            }
            sb.AppendLine("    }");
            sb.AppendLine("}");
            return sb.ToString();
        }
    }
}
