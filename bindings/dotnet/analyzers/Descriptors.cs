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

        /// <summary>SGIO1003: a kernel32 CreateFile P/Invoke returning SafeFileHandle.</summary>
        public static readonly DiagnosticDescriptor SafeFileHandleFromCreateFile = new DiagnosticDescriptor(
            id: "SGIO1003",
            title: "SafeFileHandle from a kernel32 CreateFile leaks the file on Linux",
            messageFormat: "'{0}' returns SafeFileHandle: off Windows .NET releases it with close(2) on the handle value, never CloseHandle, so the libsgio handle and its file stay open for the life of the process; return Sgio.Win32FileHandle (CloseHandle on every OS)",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A [DllImport(\"kernel32.dll\")] CreateFile redirected to libsgio (Sgio.Kernel32.RedirectDllImports) returns an sgio handle, not a descriptor. SafeFileHandle's release on Linux is close(2), which fails on that value (EBADF), so the handle is never closed. Sgio.Win32FileHandle calls CloseHandle: libsgio's on Linux, kernel32's on Windows.");

        /// <summary>SGIO1004: new Win32Exception() / new Win32Exception(code).</summary>
        public static readonly DiagnosticDescriptor Win32ExceptionMessage = new DiagnosticDescriptor(
            id: "SGIO1004",
            title: "Win32Exception words Win32 codes as errno on Linux",
            messageFormat: "'{0}' takes its message from strerror off Windows (38 becomes \"Function not implemented\", not \"Reached the end of the file.\"); use Sgio.Win32IOException or pass Sgio.Win32Error.Message(code)",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Win32Exception(int) and Win32Exception() format the code with the platform's error texts: on Linux that is strerror, which reads the Win32 codes libsgio sets as unrelated errno values. Sgio.Win32Error.Message gives Windows' wording (libsgio's FormatMessage); Sgio.Win32IOException carries it with the code and HRESULT.");
    }
}
