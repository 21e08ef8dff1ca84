// SPDX-License-Identifier: Apache-2.0
// TruncatedSegmentAddressAnalyzer.cs - SGIO1002: an explicit conversion of a pointer-sized or
// 64-bit value to a 32-bit (or smaller) integer inside the value assigned to
// FILE_SEGMENT_ELEMENT.Buffer/.Alignment, e.g. the seed's (IntPtr)((uint)ABuffers[i] + k * page).
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Sgio.Analyzers
{
    /// <summary>Reports SGIO1002.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TruncatedSegmentAddressAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
            ImmutableArray.Create(Descriptors.TruncatedSegmentAddress);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(Analyze, OperationKind.SimpleAssignment);
        }

        private static void Analyze(OperationAnalysisContext c)
        {
            var assignment = (ISimpleAssignmentOperation)c.Operation;
            ISymbol? member = assignment.Target switch
            {
                IFieldReferenceOperation f => f.Field,
                IPropertyReferenceOperation p => p.Property,
                _ => null,
            };
            if (member == null || member.ContainingType?.Name != "FILE_SEGMENT_ELEMENT")
                return;
            foreach (IOperation op in assignment.Value.DescendantsAndSelf())
            {
                if (op is IConversionOperation conversion && !conversion.IsImplicit &&
                    IsNarrow(conversion.Type) && IsAddressWide(conversion.Operand.Type))
                {
                    c.ReportDiagnostic(Diagnostic.Create(Descriptors.TruncatedSegmentAddress, conversion.Syntax.GetLocation(),
                        conversion.Syntax.ToString(), conversion.Type!.ToDisplayString(), member.Name));
                }
            }
        }

        private static bool IsNarrow(ITypeSymbol? t)
        {
            switch (t?.SpecialType)
            {
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                    return true;
                default:
                    return false;
            }
        }

        // An address can live in it: pointers, IntPtr/UIntPtr (nint/nuint), 64-bit integers.
        private static bool IsAddressWide(ITypeSymbol? t)
        {
            if (t == null)
                return false;
            if (t.TypeKind == TypeKind.Pointer || t.TypeKind == TypeKind.FunctionPointer)
                return true;
            switch (t.SpecialType)
            {
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                    return true;
                default:
                    return false;
            }
        }
    }
}
