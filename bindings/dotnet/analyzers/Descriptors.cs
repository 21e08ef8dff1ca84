// SPDX-License-Identifier: Apache-2.0
// Descriptors.cs - the diagnostics of Sgio.Analyzers: the two bugs that make Windows scatter/gather
// code fail (or corrupt memory) once it runs as a 64-bit process on .NET (Core) and Linux.
using Microsoft.CodeAnalysis;

namespace Sgio.Analyzers
{
    /// <summary>The diagnostics this assembly reports.</summary>
    public static class Descriptors
    {
        private const string Category = "Interoperability";

        /// <summary>SGIO1001: [Out] (without [In]) on a FILE_SEGMENT_ELEMENT[] parameter of a P/Invoke.</summary>
        public static readonly DiagnosticDescriptor OutSegmentArray = new DiagnosticDescriptor(
            id: "SGIO1001",
            title: "[Out] on a FILE_SEGMENT_ELEMENT[] P/Invoke parameter passes a zeroed array",
            messageFormat: "Parameter '{0}' of '{1}' is [Out] only: .NET passes a zeroed copy of the array, so WriteFileGather/ReadFileScatter see NULL segments (ERROR_INVALID_PARAMETER) and the array is zeroed afterwards; remove [Out]",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "On .NET (Core) an [Out]-only array of blittable structs is marshalled as a new, zeroed buffer that is copied back after the call. kernel32 and libsgio then read NULL segment addresses. Declare the array without [Out] (it is pinned and passed as is). The Sgio package README lists both analyzers.");

        /// <summary>SGIO1002: a pointer or IntPtr narrowed to a 32-bit integer while filling FILE_SEGMENT_ELEMENT.</summary>
        public static readonly DiagnosticDescriptor TruncatedSegmentAddress = new DiagnosticDescriptor(
            id: "SGIO1002",
            title: "Segment address cast through a 32-bit integer",
            messageFormat: "'{0}' converts a 64-bit address to '{1}' while filling FILE_SEGMENT_ELEMENT.{2}: the high 32 bits are lost and the I/O uses the wrong memory; cast through nint (or long) instead",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A cast such as (IntPtr)(uint)p or (IntPtr)((uint)buffer + offset) keeps only the low 32 bits of the address. It works only while the buffers happen to lie below 4 GiB. Do the arithmetic in nint or long. The Sgio package README lists both analyzers.");
    }
}
