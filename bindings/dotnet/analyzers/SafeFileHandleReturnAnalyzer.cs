// SPDX-License-Identifier: Apache-2.0
// SafeFileHandleReturnAnalyzer.cs - SGIO1003: a [DllImport("kernel32...")] / [LibraryImport] CreateFile
// (CreateFile, CreateFileW, CreateFileA, by name or EntryPoint) whose return type is SafeFileHandle,
// in a project that references Sgio (which has the replacement type).
using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Sgio.Analyzers
{
    /// <summary>Reports SGIO1003.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SafeFileHandleReturnAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The handle type the fix puts in (Sgio package).</summary>
        internal const string Replacement = "Sgio.Win32FileHandle";

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
            ImmutableArray.Create(Descriptors.SafeFileHandleFromCreateFile);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                INamedTypeSymbol? safeFileHandle = start.Compilation.GetTypeByMetadataName("Microsoft.Win32.SafeHandles.SafeFileHandle");
                if (safeFileHandle == null || start.Compilation.GetTypeByMetadataName(Replacement) == null)
                    return;
                start.RegisterSyntaxNodeAction(c => Analyze(c, safeFileHandle), SyntaxKind.MethodDeclaration);
            });
        }

        private static void Analyze(SyntaxNodeAnalysisContext c, INamedTypeSymbol safeFileHandle)
        {
            var syntax = (MethodDeclarationSyntax)c.Node;
            if (syntax.AttributeLists.Count == 0 ||
                !(c.SemanticModel.GetDeclaredSymbol(syntax, c.CancellationToken) is IMethodSymbol method) ||
                !SymbolEqualityComparer.Default.Equals(method.ReturnType, safeFileHandle))
                return;
            if (!IsKernel32CreateFile(method))
                return;
            c.ReportDiagnostic(Diagnostic.Create(Descriptors.SafeFileHandleFromCreateFile, syntax.ReturnType.GetLocation(), method.Name));
        }

        private static bool IsKernel32CreateFile(IMethodSymbol method)
        {
            string? library = null, entryPoint = null;
            DllImportData? dll = method.GetDllImportData();
            if (dll != null)
            {
                library = dll.ModuleName;
                entryPoint = dll.EntryPointName;
            }
            else
            {
                foreach (AttributeData a in method.GetAttributes())
                {
                    if (a.AttributeClass?.ToDisplayString() != "System.Runtime.InteropServices.LibraryImportAttribute")
                        continue;
                    library = a.ConstructorArguments.Length > 0 ? a.ConstructorArguments[0].Value as string : null;
                    foreach (var named in a.NamedArguments)
                        if (named.Key == "EntryPoint")
                            entryPoint = named.Value.Value as string;
                }
            }
            if (library == null)
                return false;
            string name = entryPoint ?? method.Name;
            return (string.Equals(library, "kernel32", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(library, "kernel32.dll", StringComparison.OrdinalIgnoreCase)) &&
                   (name == "CreateFile" || name == "CreateFileW" || name == "CreateFileA");
        }
    }
}
