// SPDX-License-Identifier: Apache-2.0
// SgioHandles.cs - SafeHandles over the library's opaque handles. The runtime holds a reference
// for the duration of every P/Invoke that takes one, so Dispose never closes a handle under a
// running call, and calls after Dispose throw ObjectDisposedException.
using System;
using System.Runtime.InteropServices;

namespace Sgio
{
    /// <summary>An sgio_file* handle; released with sgio_file_close.</summary>
    public sealed class SgioFileHandle : SafeHandle
    {
        /// <summary>Used by the marshaller for out-parameters.</summary>
        public SgioFileHandle() : base(IntPtr.Zero, ownsHandle: true) { }

        /// <inheritdoc/>
        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <inheritdoc/>
        protected override bool ReleaseHandle() => SgioNative.sgio_file_close(handle) == 0;
    }

    /// <summary>An sgio_queue* handle; released with sgio_queue_free (cancels and waits for in-flight I/O).</summary>
    public sealed class SgioQueueHandle : SafeHandle
    {
        /// <summary>Used by the marshaller for out-parameters.</summary>
        public SgioQueueHandle() : base(IntPtr.Zero, ownsHandle: true) { }

        /// <inheritdoc/>
        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <inheritdoc/>
        protected override bool ReleaseHandle() => SgioNative.sgio_queue_free(handle) == 0;
    }
}
