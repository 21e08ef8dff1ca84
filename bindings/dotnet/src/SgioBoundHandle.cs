// SPDX-License-Identifier: Apache-2.0
// SgioBoundHandle.cs - System.Threading.ThreadPoolBoundHandle's shape over an sgio completion port,
// so modern overlapped code ports by renaming one type: on Linux its NativeOverlapped*s complete
// through libsgio (callbacks on the .NET thread pool); on Windows it is ThreadPoolBoundHandle.
using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sgio.Threading
{
    /// <summary>
    /// A handle bound to sgio's completion port: <see cref="ThreadPoolBoundHandle"/>'s members and
    /// behaviour, for handles from libsgio's <c>CreateFile</c> (e.g. <c>[DllImport("kernel32.dll")]</c>
    /// redirected with <see cref="Kernel32.RedirectDllImports"/>). On Windows every member forwards to
    /// <see cref="ThreadPoolBoundHandle"/>.
    /// </summary>
    public sealed unsafe class SgioBoundHandle : IDisposable
    {
        private readonly ThreadPoolBoundHandle? _windows;
        private volatile bool _disposed;

        private SgioBoundHandle(SafeHandle handle, ThreadPoolBoundHandle? windows)
        {
            Handle = handle;
            _windows = windows;
        }

        /// <summary>The bound handle.</summary>
        public SafeHandle Handle { get; }

        /// <summary>
        /// Binds <paramref name="handle"/> (opened with FILE_FLAG_OVERLAPPED) to sgio's completion port:
        /// its I/O completions then run the <see cref="IOCompletionCallback"/> of the NativeOverlapped
        /// they used, on the .NET thread pool.
        /// </summary>
        /// <param name="handle">An open file handle of libsgio (on Windows: of kernel32).</param>
        /// <returns>The bound handle.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="handle"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="handle"/> is closed or invalid, already bound,
        /// or not a file handle of libsgio (the message says which, in Windows' words).</exception>
        public static SgioBoundHandle BindHandle(SafeHandle handle)
        {
            ArgumentNullException.ThrowIfNull(handle);
            CompletionDispatcher.CheckOpen(handle, nameof(handle));
            if (OperatingSystem.IsWindows())
                return new SgioBoundHandle(handle, ThreadPoolBoundHandle.BindHandle(handle));
            CompletionDispatcher.Bind(handle, CompletionDispatcher.BoundKey, nameof(handle));
            return new SgioBoundHandle(handle, null);
        }

        /// <summary>
        /// A NativeOverlapped* for one I/O on this handle; <paramref name="callback"/> runs in the caller's
        /// ExecutionContext when it completes. Free it with <see cref="FreeNativeOverlapped"/>.
        /// </summary>
        /// <param name="callback">Called with the Win32 error (0 on success), the bytes transferred and the pointer.</param>
        /// <param name="state">Returned by <see cref="GetNativeOverlappedState"/>.</param>
        /// <param name="pinData">An object or object[] (e.g. the buffers) kept pinned until the NativeOverlapped is freed.</param>
        /// <returns>A zeroed NativeOverlapped (set OffsetLow/OffsetHigh before the I/O).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">This handle was disposed.</exception>
        public NativeOverlapped* AllocateNativeOverlapped(IOCompletionCallback callback, object? state, object? pinData) =>
            Allocate(callback, state, pinData, flowExecutionContext: true);

        /// <summary>
        /// As <see cref="AllocateNativeOverlapped(IOCompletionCallback, object?, object?)"/> without flowing
        /// the ExecutionContext (ThreadPoolBoundHandle.UnsafeAllocateNativeOverlapped).
        /// </summary>
        /// <param name="callback">Called with the Win32 error (0 on success), the bytes transferred and the pointer.</param>
        /// <param name="state">Returned by <see cref="GetNativeOverlappedState"/>.</param>
        /// <param name="pinData">An object or object[] kept pinned until the NativeOverlapped is freed.</param>
        /// <returns>A zeroed NativeOverlapped.</returns>
        public NativeOverlapped* UnsafeAllocateNativeOverlapped(IOCompletionCallback callback, object? state, object? pinData) =>
            Allocate(callback, state, pinData, flowExecutionContext: false);

        private NativeOverlapped* Allocate(IOCompletionCallback callback, object? state, object? pinData, bool flowExecutionContext)
        {
            ArgumentNullException.ThrowIfNull(callback);
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_windows != null)
                return flowExecutionContext ? _windows.AllocateNativeOverlapped(callback, state, pinData)
                                            : _windows.UnsafeAllocateNativeOverlapped(callback, state, pinData);
            var overlapped = new SgioOverlapped(callback, state, pinData, preAllocated: null);
            overlapped.Acquire(this, flowExecutionContext);
            return overlapped.Native;
        }

        /// <summary>
        /// The NativeOverlapped* of <paramref name="preAllocated"/>, zeroed, for one I/O on this handle.
        /// </summary>
        /// <param name="preAllocated">Not in use by another I/O (free it first).</param>
        /// <returns>Its NativeOverlapped.</returns>
        /// <exception cref="ArgumentException"><paramref name="preAllocated"/> is in use.</exception>
        /// <exception cref="ObjectDisposedException">This handle or <paramref name="preAllocated"/> was disposed.</exception>
        public NativeOverlapped* AllocateNativeOverlapped(SgioPreAllocatedOverlapped preAllocated)
        {
            ArgumentNullException.ThrowIfNull(preAllocated);
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_windows != null)
                return _windows.AllocateNativeOverlapped(preAllocated.Windows!);
            return preAllocated.Acquire(this);
        }

        /// <summary>
        /// Frees a NativeOverlapped* this handle allocated, after its completion ran (or when the I/O
        /// failed to start). A pre-allocated one becomes available again.
        /// </summary>
        /// <param name="overlapped">From this handle's AllocateNativeOverlapped.</param>
        /// <exception cref="ArgumentException"><paramref name="overlapped"/> was not allocated by this handle.</exception>
        public void FreeNativeOverlapped(NativeOverlapped* overlapped)
        {
            if (_windows != null)
            {
                _windows.FreeNativeOverlapped(overlapped);
                return;
            }
            SgioOverlapped o = SgioOverlapped.FromNative(overlapped);
            if (!ReferenceEquals(o.Owner, this))
                throw new ArgumentException("'overlapped' was not allocated by this SgioBoundHandle instance.", nameof(overlapped));
            o.Release();
            if (o.PreAllocated != null)
                o.PreAllocated.Return();
            else
                o.Destroy();
        }

        /// <summary>The state given to AllocateNativeOverlapped (or the pre-allocated one's constructor).</summary>
        /// <param name="overlapped">A NativeOverlapped* allocated by an SgioBoundHandle and not yet freed.</param>
        /// <returns>The state object, or null.</returns>
        /// <exception cref="ArgumentException"><paramref name="overlapped"/> is not one of sgio's.</exception>
        public static object? GetNativeOverlappedState(NativeOverlapped* overlapped) =>
            OperatingSystem.IsWindows() ? ThreadPoolBoundHandle.GetNativeOverlappedState(overlapped)
                                        : SgioOverlapped.FromNative(overlapped).State;

        /// <summary>Later allocations throw ObjectDisposedException; the handle itself stays open and bound.</summary>
        public void Dispose()
        {
            _disposed = true;
            _windows?.Dispose();
        }
    }
}
