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
        public ushort wProcessorArchitecture;
        public ushort wReserved;
        public uint dwPageSize;
        public IntPtr lpMinimumApplicationAddress;
        public IntPtr lpMaximumApplicationAddress;
        public UIntPtr dwActiveProcessorMask;
        public uint dwNumberOfProcessors;
        public uint dwProcessorType;
        public uint dwAllocationGranularity;
        public ushort wProcessorLevel;
        public ushort wProcessorRevision;
    }

    /// <summary>A dequeued completion packet (GetQueuedCompletionStatusEx), 32 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OVERLAPPED_ENTRY
    {
        public UIntPtr lpCompletionKey;
        /// <summary>The request's NativeOverlapped*.</summary>
        public IntPtr lpOverlapped;
        public UIntPtr Internal;
        public uint dwNumberOfBytesTransferred;
    }
}
