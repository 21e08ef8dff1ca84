// SPDX-License-Identifier: Apache-2.0
// Descriptors.cs - POSIX descriptor plumbing behind SgioFile's SafeFileHandle interop, and the
// in-flight counter behind SgioFile.DisposeAsync.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace Sgio
{
    internal static class Descriptors
    {
        private const int F_DUPFD_CLOEXEC = 1030; // Linux, every architecture

        [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        private static extern int fcntl_int(int fd, int cmd, int arg);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        private static extern int close(int fd);

        /// <summary>fcntl(F_DUPFD_CLOEXEC): a new descriptor for the same open file, closed on exec.</summary>
        public static int Duplicate(int fd)
        {
            if (OperatingSystem.IsWindows())
                throw new PlatformNotSupportedException("SafeFileHandle interop needs POSIX file descriptors.");
            int dup = fcntl_int(fd, F_DUPFD_CLOEXEC, 0);
            if (dup < 0)
                throw new IOException($"fcntl(F_DUPFD_CLOEXEC) of descriptor {fd}: {Marshal.GetLastPInvokeErrorMessage()}",
                                      Marshal.GetLastPInvokeError());
            return dup;
        }

        /// <summary>Duplicate the descriptor of a live SafeFileHandle (held for the call).</summary>
        public static int Duplicate(SafeFileHandle handle)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return Duplicate(checked((int)handle.DangerousGetHandle()));
            }
            finally
            {
                if (added)
                    handle.DangerousRelease();
            }
        }

        public static void Close(int fd) => close(fd);

        private const int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, F_GETFL = 3;

        private static int AccessMode(SafeFileHandle handle)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                int fl = fcntl_int(checked((int)handle.DangerousGetHandle()), F_GETFL, 0);
                return fl < 0 ? -1 : fl & O_ACCMODE;
            }
            finally
            {
                if (added)
                    handle.DangerousRelease();
            }
        }

        public static bool CanRead(this SafeFileHandle handle) => AccessMode(handle) is O_RDONLY or O_RDWR;

        public static bool CanWrite(this SafeFileHandle handle) => AccessMode(handle) is O_WRONLY or O_RDWR;
    }

    /// <summary>Requests of one file in flight; lock-free on the request path.</summary>
    internal sealed class InFlightCounter
    {
        private int _count;
        private TaskCompletionSource? _idle;
        private readonly object _gate = new();

        public int Count => Volatile.Read(ref _count);

        public void Enter() => Interlocked.Increment(ref _count);

        public void Exit()
        {
            if (Interlocked.Decrement(ref _count) != 0)
                return;
            TaskCompletionSource? idle;
            lock (_gate)
            {
                idle = _idle;
                _idle = null;
            }
            idle?.TrySetResult();
        }

        /// <summary>Dispose <paramref name="handle"/> once the count is zero, awaiting (not blocking) until then.</summary>
        public async ValueTask DisposeWhenIdle(SafeHandle handle)
        {
            await WhenIdle().ConfigureAwait(false);
            handle.Dispose();
        }

        /// <summary>Completes when the count is (or next reaches) zero.</summary>
        public Task WhenIdle()
        {
            TaskCompletionSource idle;
            lock (_gate)
            {
                if (Volatile.Read(ref _count) == 0)
                    return Task.CompletedTask;
                idle = _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            // Checked again after publishing: an Exit that reached zero in between saw no waiter.
            if (Volatile.Read(ref _count) == 0)
            {
                lock (_gate)
                {
                    if (_idle == idle)
                        _idle = null;
                }
                idle.TrySetResult();
            }
            return idle.Task;
        }
    }
}
