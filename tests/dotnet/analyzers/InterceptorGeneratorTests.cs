// SPDX-License-Identifier: Apache-2.0
// InterceptorGeneratorTests.cs - the opt-in BindHandle interceptor generator: silent unless
// SgioInterceptBindHandle=true; then one InterceptsLocation per call site of each API, and the
// program compiles (with InterceptorsNamespaces=Sgio.Generated) with every call bound to Sgio.
// Running intercepted code is the port sample's job (tests/dotnet/port-sample).
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Sgio.Interceptors;
using Xunit;

namespace Sgio.Analyzers.Tests
{
    public class InterceptorGeneratorTests
    {
        private const string Program = @"
using System;
using System.Runtime.InteropServices;
using System.Threading;
using static System.Threading.ThreadPool;
unsafe static class Engine
{
    static void Open(SafeHandle h, IntPtr raw, NativeOverlapped* ov)
    {
        ThreadPool.BindHandle(h);
        BindHandle(h);                                  // using static
        System.Threading.ThreadPool.BindHandle(raw);    // obsolete IntPtr overload
        ThreadPoolBoundHandle bound = ThreadPoolBoundHandle.BindHandle(h);
        ThreadPool.UnsafeQueueNativeOverlapped(ov);
        bound.Dispose();
    }
}";

        private sealed class Options : AnalyzerConfigOptionsProvider
        {
            private sealed class Global : AnalyzerConfigOptions
            {
                private readonly Dictionary<string, string> _values;
                public Global(Dictionary<string, string> values) => _values = values;
                public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
            }

            private readonly Global _global;
            public Options(Dictionary<string, string> values) => _global = new Global(values);
            public override AnalyzerConfigOptions GlobalOptions => _global;
            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;
            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;
        }

        private static (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, string[] Generated) Run(string? property)
        {
            var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest)
                // What Sgio.targets sets: both names (Roslyn 4.11 reads the Preview one, C# 13+ compilers either).
                .WithFeatures(new[]
                {
                    new KeyValuePair<string, string>("InterceptorsNamespaces", BindHandleInterceptorGenerator.Namespace),
                    new KeyValuePair<string, string>("InterceptorsPreviewNamespaces", BindHandleInterceptorGenerator.Namespace),
                });
            var compilation = CSharpCompilation.Create("Engine",
                new[] { CSharpSyntaxTree.ParseText(Program, parse, path: "/src/Engine.cs") },
                Setup.Framework,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            var values = new Dictionary<string, string>();
            if (property != null)
                values["build_property." + BindHandleInterceptorGenerator.Property] = property;
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new BindHandleInterceptorGenerator().AsSourceGenerator() },
                                                                  parseOptions: parse, optionsProvider: new Options(values));
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
            string[] generated = driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()).ToArray();
            return (output, diagnostics, generated);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("false")]
        [InlineData("")]
        public void OffUnlessTheProjectOptsIn(string? property)
        {
            var (_, diagnostics, generated) = Run(property);
            Assert.Empty(diagnostics);
            Assert.Empty(generated);
        }

        [Fact]
        public void InterceptsEveryCallSiteAndCompiles()
        {
            var (output, diagnostics, generated) = Run("true");
            Assert.Empty(diagnostics);
            string source = Assert.Single(generated);
            Assert.True(5 == Regex.Matches(source, @"InterceptsLocation\(1, """).Count, source);
            Assert.Contains("SgioThreadPool.BindHandle(osHandle)", source);
            Assert.Contains("SgioThreadPool.BindThreadPoolBoundHandle(handle)", source);
            Assert.Contains("SgioThreadPool.UnsafeQueueNativeOverlapped(overlapped)", source);
            // Compiles: an InterceptsLocation that matched no call, or a signature that differs from
            // the intercepted method's, is a compiler error (CS9xxx).
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }

        [Fact]
        public void WithoutInterceptorsNamespacesTheCompilerRefuses()
        {
            // What a project gets without Sgio.targets' InterceptorsNamespaces: an error, never a silent miss.
            var (output, _, _) = Run("true");
            var stripped = output.RemoveAllSyntaxTrees().AddSyntaxTrees(output.SyntaxTrees.Select(t =>
                t.WithRootAndOptions(t.GetRoot(), ((CSharpParseOptions)t.Options).WithFeatures(new KeyValuePair<string, string>[0]))));
            Assert.Contains(stripped.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CS9"));
        }
    }
}
