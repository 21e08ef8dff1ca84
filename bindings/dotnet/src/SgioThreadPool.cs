// SPDX-License-Identifier: Apache-2.0
// SgioThreadPool.cs - ThreadPool.BindHandle and ThreadPool.UnsafeQueueNativeOverlapped for the
// Overlapped.Pack(IOCompletionCallback) pattern: on Linux the bound handle's completions come from
// sgio's completion port and run the callback Pack stored, on the .NET thread pool; on Windows these
// are the ThreadPool methods themselves.
using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sgio.Threading
{
    /// <summary>
    /// <see cref="ThreadPool.BindHandle(SafeHandle)"/> for libsgio handles: existing code written against
    /// <c>Overlapped.Pack</c> + <c>ThreadPool.BindHandle</c> runs unchanged but for this call (or with the
    /// package's interceptor, <c>&lt;SgioInterceptBindHandle&gt;true&lt;/SgioInterceptBindHandle&gt;</c>, not even that).
    /// </summary>
    public static unsafe class SgioThreadPool
    {
        /// <summary>
        /// Binds <paramref name="osHandle"/> so that its overlapped I/O completions call the
        /// IOCompletionCallback given to <see cref="Overlapped.Pack(IOCompletionCallback?, object?)"/>
        /// (in the ExecutionContext Pack captured), on the thread pool.
        /// </summary>
        /// <param name="osHandle">A file handle of libsgio opened with FILE_FLAG_OVERLAPPED (on Windows: any handle ThreadPool.BindHandle takes).</param>
        /// <returns>true if bound; false if sgio refused it (already bound, or not a file handle): read <see cref="Marshal.GetLastPInvokeError"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="osHandle"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="osHandle"/> is closed or invalid.</exception>
        /// <exception cref="PlatformNotSupportedException">This runtime keeps Pack's callback where Sgio cannot
        /// find it (use <see cref="SgioBoundHandle"/>, which needs no runtime internals).</exception>
        public static bool BindHandle(SafeHandle osHandle)
        {
            ArgumentNullException.ThrowIfNull(osHandle);
            if (OperatingSystem.IsWindows())
                return ThreadPool.BindHandle(osHandle);
            CompletionDispatcher.CheckOpen(osHandle, nameof(osHandle));
            string? why = RuntimeInternals.Unsupported;
            if (why != null)
                throw new PlatformNotSupportedException(why);
            int error = CompletionDispatcher.Associate(osHandle, CompletionDispatcher.PackedKey);
            Marshal.SetLastPInvokeError(error);
            return error == 0;
        }

        /// <summary>
        /// <see cref="ThreadPoolBoundHandle.BindHandle(SafeHandle)"/> for libsgio handles: a real
        /// ThreadPoolBoundHandle whose AllocateNativeOverlapped/PreAllocatedOverlapped requests complete
        /// through sgio's port, callbacks on the thread pool. On Windows: ThreadPoolBoundHandle.BindHandle.
        /// </summary>
        /// <param name="handle">A file handle of libsgio opened with FILE_FLAG_OVERLAPPED.</param>
        /// <returns>The bound handle.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="handle"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="handle"/> is closed, invalid, already bound or not a libsgio file handle.</exception>
        /// <exception cref="PlatformNotSupportedException">This runtime's ThreadPoolBoundHandle or Overlapped is not
        /// the one Sgio knows (use <see cref="SgioBoundHandle"/>).</exception>
        public static ThreadPoolBoundHandle BindThreadPoolBoundHandle(SafeHandle handle)
        {
            ArgumentNullException.ThrowIfNull(handle);
            if (OperatingSystem.IsWindows())
                return ThreadPoolBoundHandle.BindHandle(handle);
            CompletionDispatcher.CheckOpen(handle, nameof(handle));
            string? why = RuntimeInternals.Unsupported;
            if (why != null)
                throw new PlatformNotSupportedException(why);
            ThreadPoolBoundHandle bound = RuntimeInternals.NewThreadPoolBoundHandle(handle);
            CompletionDispatcher.Bind(handle, CompletionDispatcher.PackedKey, nameof(handle));
            return bound;
        }

        /// <summary><see cref="BindHandle(SafeHandle)"/> for a raw handle value (ThreadPool.BindHandle(IntPtr)).</summary>
        /// <param name="osHandle">A file handle value of libsgio.</param>
        /// <returns>true if bound; false if sgio refused it (read <see cref="Marshal.GetLastPInvokeError"/>).</returns>
        public static bool BindHandle(IntPtr osHandle)
        {
            if (OperatingSystem.IsWindows())
            {
#pragma warning disable CS0618 // the obsolete overload is what the caller asked for
                return ThreadPool.BindHandle(osHandle);
#pragma warning restore CS0618
            }
            using var handle = new Win32FileHandle(osHandle, ownsHandle: false);
            return BindHandle(handle);
        }

        /// <summary>
        /// Queues <paramref name="overlapped"/> (from Overlapped.Pack) to complete like an I/O with error 0
        /// and 0 bytes: its callback runs on the thread pool (ThreadPool.UnsafeQueueNativeOverlapped).
        /// </summary>
        /// <param name="overlapped">A packed NativeOverlapped*.</param>
        /// <returns>true.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="overlapped"/> is null.</exception>
        public static bool UnsafeQueueNativeOverlapped(NativeOverlapped* overlapped)
        {
            if (overlapped == null)
                throw new ArgumentNullException(nameof(overlapped));
            if (OperatingSystem.IsWindows())
                return ThreadPool.UnsafeQueueNativeOverlapped(overlapped);
            CompletionDispatcher.Post(overlapped, CompletionDispatcher.PackedKey);
            return true;
        }
    }
}
