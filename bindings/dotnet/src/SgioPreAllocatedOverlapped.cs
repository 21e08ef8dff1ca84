// SPDX-License-Identifier: Apache-2.0
// SgioPreAllocatedOverlapped.cs - System.Threading.PreAllocatedOverlapped for SgioBoundHandle: one
// NativeOverlapped (with its pinned buffers) reused for request after request.
using System;
using System.Threading;

namespace Sgio.Threading
{
    /// <summary>
    /// A reusable NativeOverlapped for <see cref="SgioBoundHandle.AllocateNativeOverlapped(SgioPreAllocatedOverlapped)"/>
    /// (<see cref="PreAllocatedOverlapped"/>'s shape; on Windows it is one). One I/O at a time.
    /// </summary>
    public sealed unsafe class SgioPreAllocatedOverlapped : IDisposable
    {
        private readonly SgioOverlapped? _overlapped; // Linux
        private readonly object _lock = new();
        private bool _inUse;
        private bool _disposed;

        internal PreAllocatedOverlapped? Windows { get; }

        /// <summary>Allocates it; <paramref name="callback"/> runs in the ExecutionContext of each allocation.</summary>
        /// <param name="callback">Called with the Win32 error (0 on success), the bytes transferred and the pointer.</param>
        /// <param name="state">Returned by <see cref="SgioBoundHandle.GetNativeOverlappedState"/>.</param>
        /// <param name="pinData">An object or object[] kept pinned until <see cref="Dispose"/>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
        public SgioPreAllocatedOverlapped(IOCompletionCallback callback, object? state, object? pinData)
            : this(callback, state, pinData, flowExecutionContext: true) { }

        private SgioPreAllocatedOverlapped(IOCompletionCallback callback, object? state, object? pinData, bool flowExecutionContext)
        {
            ArgumentNullException.ThrowIfNull(callback);
            FlowExecutionContext = flowExecutionContext;
            if (OperatingSystem.IsWindows())
                Windows = flowExecutionContext ? new PreAllocatedOverlapped(callback, state, pinData)
                                               : PreAllocatedOverlapped.UnsafeCreate(callback, state, pinData);
            else
                _overlapped = new SgioOverlapped(callback, state, pinData, this);
        }

        /// <summary>As the constructor, without flowing the ExecutionContext (PreAllocatedOverlapped.UnsafeCreate).</summary>
        /// <param name="callback">Called with the Win32 error (0 on success), the bytes transferred and the pointer.</param>
        /// <param name="state">Returned by <see cref="SgioBoundHandle.GetNativeOverlappedState"/>.</param>
        /// <param name="pinData">An object or object[] kept pinned until <see cref="Dispose"/>.</param>
        /// <returns>The new instance.</returns>
        public static SgioPreAllocatedOverlapped UnsafeCreate(IOCompletionCallback callback, object? state, object? pinData) =>
            new SgioPreAllocatedOverlapped(callback, state, pinData, flowExecutionContext: false);

        private bool FlowExecutionContext { get; }

        internal NativeOverlapped* Acquire(SgioBoundHandle owner)
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_inUse)
                    throw new ArgumentException("This SgioPreAllocatedOverlapped is already in use by another I/O.", "preAllocated");
                _inUse = true;
            }
            _overlapped!.Acquire(owner, FlowExecutionContext);
            return _overlapped.Native;
        }

        internal void Return()
        {
            bool destroy;
            lock (_lock)
            {
                _inUse = false;
                destroy = _disposed;
            }
            if (destroy)
                _overlapped!.Destroy();
        }

        /// <summary>Frees it now, or when the I/O using it is freed.</summary>
        public void Dispose()
        {
            if (Windows != null)
            {
                Windows.Dispose();
                return;
            }
            bool destroy;
            lock (_lock)
            {
                if (_disposed)
                    return;
                _disposed = true;
                destroy = !_inUse;
            }
            if (destroy)
                _overlapped!.Destroy();
        }
    }
}
