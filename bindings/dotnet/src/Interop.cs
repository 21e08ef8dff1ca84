// SPDX-License-Identifier: Apache-2.0
// Interop.cs - blittable twins of the native face's structs (sgio_file.h, sgio_queue.h). The
// SWIG externs in SgioNative take them by ref or pointer; tests/dotnet pins their sizes.
using System.Runtime.InteropServices;

namespace Sgio
{
    /// <summary>sgio_segment: one buffer of a gather or scatter (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SgioSegment
    {
        /// <summary>Address of the first byte.</summary>
        public ulong Buffer;
        /// <summary>Bytes, &gt; 0.</summary>
        public ulong Length;
    }

    /// <summary>sgio_open_options (16 bytes). Fill with <c>SgioNative.sgio_open_options_init</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SgioOpenOptions
    {
        public uint Version;
        public uint Flags;
        public uint Mode;
        public uint Reserved;
    }

    /// <summary>sgio_queue_options (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SgioQueueOptions
    {
        public uint Version;
        public uint Depth;
        public uint Backend;
        public uint Reserved;
    }

    /// <summary>sgio_request: one asynchronous request (48 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SgioRequest
    {
        /// <summary>The sgio_file* handle value.</summary>
        public nint File;
        /// <summary>Address of the SgioSegment array (kept valid until completion).</summary>
        public ulong Segments;
        public uint Count;
        /// <summary>SGIO_OP_WRITE_GATHER or SGIO_OP_READ_SCATTER.</summary>
        public uint Op;
        public ulong Offset;
        public ulong UserData;
        public ulong Reserved;
    }

    /// <summary>sgio_completion (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SgioCompletion
    {
        public ulong UserData;
        public ulong Bytes;
        /// <summary>0 or a negative SgioStatus.</summary>
        public int Status;
        public uint Reserved;
    }
}
