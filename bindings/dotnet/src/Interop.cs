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
        /// <summary>SGIO_OPEN_OPTIONS_VERSION.</summary>
        public uint Version;
        /// <summary>SGIO_OPEN_* flags (<see cref="SgioOpenFlags"/>).</summary>
        public uint Flags;
        /// <summary>Permission bits of a created file; 0 means 0644.</summary>
        public uint Mode;
        /// <summary>Must be 0.</summary>
        public uint Reserved;
    }

    /// <summary>sgio_queue_options (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SgioQueueOptions
    {
        /// <summary>SGIO_QUEUE_OPTIONS_VERSION.</summary>
        public uint Version;
        /// <summary>Requests in flight at most; 0 means 256.</summary>
        public uint Depth;
        /// <summary>SGIO_BACKEND_* (<see cref="SgioBackend"/>).</summary>
        public uint Backend;
        /// <summary>Must be 0.</summary>
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
        /// <summary>Segments in the array, &gt;= 1.</summary>
        public uint Count;
        /// <summary>SGIO_OP_WRITE_GATHER or SGIO_OP_READ_SCATTER.</summary>
        public uint Op;
        /// <summary>File offset of the first byte.</summary>
        public ulong Offset;
        /// <summary>Returned unchanged in the completion.</summary>
        public ulong UserData;
        /// <summary>Must be 0.</summary>
        public ulong Reserved;
    }

    /// <summary>sgio_completion (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SgioCompletion
    {
        /// <summary>From the request.</summary>
        public ulong UserData;
        /// <summary>Bytes transferred; on failure the prefix known to be transferred.</summary>
        public ulong Bytes;
        /// <summary>0 or a negative SgioStatus.</summary>
        public int Status;
        /// <summary>Unused.</summary>
        public uint Reserved;
    }
}
