// SPDX-License-Identifier: Apache-2.0
// OutSegmentArrayAnalyzer.cs - SGIO1001: [Out] without [In] on a FILE_SEGMENT_ELEMENT[] parameter
// of a DllImport/LibraryImport method (pinvoke.net's WriteFileGather declaration has it).
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Sgio.Analyzers
{
    /// <summary>Reports SGIO1001.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class OutSegmentArrayAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
            ImmutableArray.Create(Descriptors.OutSegmentArray);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                INamedTypeSymbol? outAttr = start.Compilation.GetTypeByMetadataName("System.Runtime.InteropServices.OutAttribute");
                INamedTypeSymbol? inAttr = start.Compilation.GetTypeByMetadataName("System.Runtime.InteropServices.InAttribute");
                INamedTypeSymbol? libraryImport = start.Compilation.GetTypeByMetadataName("System.Runtime.InteropServices.LibraryImportAttribute");
                if (outAttr == null)
                    return;
                start.RegisterSyntaxNodeAction(c => Analyze(c, outAttr, inAttr, libraryImport), SyntaxKind.Parameter);
            });
        }

        private static void Analyze(SyntaxNodeAnalysisContext c, INamedTypeSymbol outAttr, INamedTypeSymbol? inAttr,
                                    INamedTypeSymbol? libraryImport)
        {
            var syntax = (ParameterSyntax)c.Node;
            if (syntax.AttributeLists.Count == 0)
                return;
            if (!(c.SemanticModel.GetDeclaredSymbol(syntax, c.CancellationToken) is IParameterSymbol parameter) ||
                !(parameter.Type is IArrayTypeSymbol array) || array.ElementType.Name != "FILE_SEGMENT_ELEMENT" ||
                !(parameter.ContainingSymbol is IMethodSymbol method) || !IsInterop(method, libraryImport))
                return;
            AttributeSyntax? outSyntax = null;
            bool hasIn = false;
            foreach (AttributeListSyntax list in syntax.AttributeLists)
            {
                foreach (AttributeSyntax attribute in list.Attributes)
                {
                    INamedTypeSymbol? type = (c.SemanticModel.GetSymbolInfo(attribute, c.CancellationToken).Symbol as IMethodSymbol)?.ContainingType;
                    if (SymbolEqualityComparer.Default.Equals(type, outAttr))
                        outSyntax = attribute;
                    else if (inAttr != null && SymbolEqualityComparer.Default.Equals(type, inAttr))
                        hasIn = true; // [In, Out] copies in and back: the segments arrive
                }
            }
            if (outSyntax != null && !hasIn)
                c.ReportDiagnostic(Diagnostic.Create(Descriptors.OutSegmentArray, outSyntax.GetLocation(), parameter.Name, method.Name));
        }

        private static bool IsInterop(IMethodSymbol method, INamedTypeSymbol? libraryImport)
        {
            if (method.IsExtern || method.GetDllImportData() != null)
                return true;
            if (libraryImport == null)
                return false;
            foreach (AttributeData a in method.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, libraryImport))
                    return true;
            }
            return false;
        }
    }
}
