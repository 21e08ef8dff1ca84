// SPDX-License-Identifier: Apache-2.0
// Win32ExceptionAnalyzer.cs - SGIO1004: new Win32Exception() or new Win32Exception(int), whose
// message comes from the platform (strerror on Linux), in a project that references Sgio.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Sgio.Analyzers
{
    /// <summary>Reports SGIO1004.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class Win32ExceptionAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
            ImmutableArray.Create(Descriptors.Win32ExceptionMessage);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                INamedTypeSymbol? win32Exception = start.Compilation.GetTypeByMetadataName("System.ComponentModel.Win32Exception");
                if (win32Exception == null || start.Compilation.GetTypeByMetadataName("Sgio.Win32Error") == null)
                    return;
                start.RegisterOperationAction(c =>
                {
                    var creation = (IObjectCreationOperation)c.Operation;
                    IMethodSymbol? ctor = creation.Constructor;
                    if (ctor == null || !SymbolEqualityComparer.Default.Equals(ctor.ContainingType, win32Exception))
                        return;
                    bool platformMessage = ctor.Parameters.Length == 0 ||
                                           (ctor.Parameters.Length == 1 && ctor.Parameters[0].Type.SpecialType == SpecialType.System_Int32);
                    if (platformMessage)
                        c.ReportDiagnostic(Diagnostic.Create(Descriptors.Win32ExceptionMessage, creation.Syntax.GetLocation(),
                                                             creation.Syntax.ToString()));
                }, OperationKind.ObjectCreation);
            });
        }
    }
}
