// SPDX-License-Identifier: Apache-2.0
// SgioOpenFlags.cs - sgio_open_options.flags and the queue backends as C# enums.
using System;

namespace Sgio
{
    /// <summary>How <see cref="SgioFile.Open"/> opens a file (SGIO_OPEN_*). One of Read/Write is required.</summary>
    [Flags]
    public enum SgioOpenFlags : uint
    {
        /// <summary>Open for reading.</summary>
        Read = SgioApi.SGIO_OPEN_READ,
        /// <summary>Open for writing.</summary>
        Write = SgioApi.SGIO_OPEN_WRITE,
        /// <summary>Read and write.</summary>
        ReadWrite = Read | Write,
        /// <summary>Create the file if it does not exist.</summary>
        Create = SgioApi.SGIO_OPEN_CREATE,
        /// <summary>With Create: fail with SGIO_EEXIST if it exists.</summary>
        Exclusive = SgioApi.SGIO_OPEN_EXCLUSIVE,
        /// <summary>Truncate to 0 bytes (needs Write).</summary>
        Truncate = SgioApi.SGIO_OPEN_TRUNCATE,
        /// <summary>Unbuffered (O_DIRECT): buffers, lengths and offsets must honour <see cref="SgioFile.Alignment"/>.</summary>
        Direct = SgioApi.SGIO_OPEN_DIRECT,
        /// <summary>Write-through (O_DSYNC).</summary>
        DSync = SgioApi.SGIO_OPEN_DSYNC,
    }

    /// <summary>The engine behind an <see cref="SgioQueue"/> (SGIO_BACKEND_*).</summary>
    public enum SgioBackend : uint
    {
        /// <summary>io_uring when the kernel allows it, else the thread pool.</summary>
        Auto = SgioApi.SGIO_BACKEND_AUTO,
        /// <summary>io_uring: the kernel completes requests.</summary>
        Uring = SgioApi.SGIO_BACKEND_URING,
        /// <summary>Worker threads running the synchronous engine.</summary>
        Pool = SgioApi.SGIO_BACKEND_POOL,
        /// <summary>Each request runs inside submit (debugging).</summary>
        Sync = SgioApi.SGIO_BACKEND_SYNC,
    }

    /// <summary>Direct-I/O alignment of an open file (1 and 1 for a buffered file).</summary>
    /// <param name="Memory">Required alignment of buffer addresses.</param>
    /// <param name="Offset">Required alignment of file offsets and segment lengths.</param>
    public readonly record struct SgioAlignment(int Memory, int Offset);
}
