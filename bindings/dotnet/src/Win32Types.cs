// SPDX-License-Identifier: Apache-2.0
// Win32Types.cs - the blittable structs of the Win32 face, in pinvoke.net's shapes (the seed).
// SWIG's typemaps (bindings/swig/sgio_win32_csharp.i) pass them by value, ref, out or pointer
// straight to libsgio; tests/dotnet checks their sizes and offsets against the C header's.
using System;
using System.Runtime.InteropServices;

namespace Sgio
{
    /// <summary>One page of a gather/scatter: union { PVOID64 Buffer; ULONGLONG Alignment; }, 8 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    public struct FILE_SEGMENT_ELEMENT
    {
        /// <summary>Address of one system page.</summary>
        [FieldOffset(0)] public IntPtr Buffer;
        /// <summary>The same 8 bytes as an integer (sets all 64 bits even in 32-bit code).</summary>
        [FieldOffset(0)] public ulong Alignment;
    }

    /// <summary>GetSystemInfo's result, Windows x64 layout (48 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SYSTEM_INFO
    {
        /// <summary>PROCESSOR_ARCHITECTURE_AMD64 (9) or PROCESSOR_ARCHITECTURE_ARM64 (12).</summary>
        public ushort wProcessorArchitecture;
        /// <summary>Reserved.</summary>
        public ushort wReserved;
        /// <summary>The page size: the size of one FILE_SEGMENT_ELEMENT's buffer.</summary>
        public uint dwPageSize;
        /// <summary>Lowest address available to applications.</summary>
        public IntPtr lpMinimumApplicationAddress;
        /// <summary>Highest address available to applications.</summary>
        public IntPtr lpMaximumApplicationAddress;
        /// <summary>One bit per processor the process may run on.</summary>
        public UIntPtr dwActiveProcessorMask;
        /// <summary>Logical processors.</summary>
        public uint dwNumberOfProcessors;
        /// <summary>Obsolete processor type (as on Windows).</summary>
        public uint dwProcessorType;
        /// <summary>VirtualAlloc's address granularity (64 KiB).</summary>
        public uint dwAllocationGranularity;
        /// <summary>Processor level.</summary>
        public ushort wProcessorLevel;
        /// <summary>Processor revision.</summary>
        public ushort wProcessorRevision;
    }

    /// <summary>A dequeued completion packet (GetQueuedCompletionStatusEx), 32 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OVERLAPPED_ENTRY
    {
        /// <summary>The completion key the file was bound with.</summary>
        public UIntPtr lpCompletionKey;
        /// <summary>The request's NativeOverlapped*.</summary>
        public IntPtr lpOverlapped;
        /// <summary>The request's NTSTATUS (OVERLAPPED.Internal).</summary>
        public UIntPtr Internal;
        /// <summary>Bytes transferred.</summary>
        public uint dwNumberOfBytesTransferred;
    }
}
