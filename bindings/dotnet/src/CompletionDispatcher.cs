// SPDX-License-Identifier: Apache-2.0
// CompletionDispatcher.cs - the process's one sgio completion port for the .NET completion pattern,
// and the one thread blocked in GetQueuedCompletionStatus on it: each dequeued packet is handed to
// the .NET thread pool, which runs the request's IOCompletionCallback. No polling, no thread per
// request. Handles are associated with a key that says who allocated their NativeOverlapped*:
// Overlapped.Pack (SgioThreadPool) or SgioBoundHandle.
using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sgio.Threading
{
    internal static unsafe class CompletionDispatcher
    {
        /// <summary>The completion key of handles bound by SgioThreadPool.BindHandle (Overlapped.Pack).</summary>
        internal const nuint PackedKey = 1;
        /// <summary>The completion key of handles bound by SgioBoundHandle.BindHandle.</summary>
        internal const nuint BoundKey = 2;

        private const uint Infinite = 0xFFFFFFFF;
        private static readonly IntPtr s_invalidHandle = new IntPtr(-1);
        private static readonly object s_lock = new();
        private static IntPtr s_port; // created on first use, lives as long as the process

        private static IntPtr Port
        {
            get
            {
                IntPtr port = Volatile.Read(ref s_port);
                return port != IntPtr.Zero ? port : Start();
            }
        }

        private static IntPtr Start()
        {
            lock (s_lock)
            {
                if (s_port != IntPtr.Zero)
                    return s_port;
                IntPtr port = Kernel32.CreateIoCompletionPort(s_invalidHandle, IntPtr.Zero, 0, 0);
                if (port == IntPtr.Zero)
                    throw Win32IOException.FromLastError("Sgio: CreateIoCompletionPort for the .NET completion dispatcher");
                var thread = new Thread(Run) { IsBackground = true, Name = "Sgio completion port" };
                thread.UnsafeStart(port);
                Volatile.Write(ref s_port, port);
                return port;
            }
        }

        /// <summary>
        /// Associates <paramref name="handle"/> with the port under <paramref name="key"/>: Win32's
        /// last error when sgio refuses (not a file handle, already associated, closed), else 0.
        /// </summary>
        internal static int Associate(SafeHandle handle, nuint key)
        {
            IntPtr port = Port;
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (Kernel32.CreateIoCompletionPort(handle.DangerousGetHandle(), port, key, 0) == IntPtr.Zero)
                    return Marshal.GetLastPInvokeError();
                return 0;
            }
            finally
            {
                if (added)
                    handle.DangerousRelease();
            }
        }

        /// <summary>ArgumentException unless <paramref name="handle"/> is open and valid (what Windows' BindHandle says).</summary>
        internal static void CheckOpen(SafeHandle handle, string paramName)
        {
            if (handle.IsClosed || handle.IsInvalid)
                throw new ArgumentException($"'{paramName}' has been disposed or is an invalid handle.", paramName);
        }

        /// <summary><see cref="Associate"/>, or ArgumentException with sgio's reason in Windows' words.</summary>
        internal static void Bind(SafeHandle handle, nuint key, string paramName)
        {
            int error = Associate(handle, key);
            if (error != 0)
                throw new ArgumentException(
                    $"'{paramName}' cannot be bound to sgio's completion port (already bound, or not a file handle of libsgio): {Win32Error.Message(error)}",
                    paramName);
        }

        /// <summary>PostQueuedCompletionStatus: the packet completes like an I/O (ThreadPool.UnsafeQueueNativeOverlapped).</summary>
        internal static void Post(NativeOverlapped* overlapped, nuint key)
        {
            if (!Kernel32.PostQueuedCompletionStatus(Port, 0, key, ref *overlapped))
                throw Win32IOException.FromLastError("Sgio: PostQueuedCompletionStatus");
        }

        private static void Run(object? state)
        {
            IntPtr port = (IntPtr)state!;
            while (true)
            {
                bool ok = Kernel32.GetQueuedCompletionStatus(port, out uint bytes, out nuint key, out IntPtr ov, Infinite);
                uint error = ok ? 0u : (uint)Marshal.GetLastPInvokeError();
                if (ov == IntPtr.Zero)
                {
                    // Nothing dequeued: only a failure of the port itself does this with INFINITE.
                    // Never spin: the port is gone, and so is every later completion.
                    Environment.FailFast($"Sgio: GetQueuedCompletionStatus on the dispatcher's port failed: {Win32Error.Message((int)error)}");
                }
                var overlapped = (NativeOverlapped*)ov;
                if (key == BoundKey)
                    SgioOverlapped.FromNative(overlapped).Complete(error, bytes);
                else
                    ThreadPool.UnsafeQueueUserWorkItem(new PackedCompletion(overlapped, error, bytes), preferLocal: false);
            }
        }

        /// <summary>One completion of an Overlapped.Pack'ed request, run on the thread pool.</summary>
        private sealed class PackedCompletion : IThreadPoolWorkItem
        {
            private readonly NativeOverlapped* _overlapped;
            private readonly uint _error;
            private readonly uint _bytes;
            private IOCompletionCallback? _callback;

            internal PackedCompletion(NativeOverlapped* overlapped, uint error, uint bytes)
            {
                _overlapped = overlapped;
                _error = error;
                _bytes = bytes;
            }

            public void Execute()
            {
                var (callback, context) = RuntimeInternals.Find(_overlapped);
                if (callback == null)
                    return; // Pack(null, ...): nothing to call, as on Windows
                _callback = callback;
                if (context == null)
                    Invoke();
                else
                    ExecutionContext.Run(context, static s => ((PackedCompletion)s!).Invoke(), this);
            }

            private void Invoke() => _callback!(_error, _bytes, _overlapped);
        }
    }
}
