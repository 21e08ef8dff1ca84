// SPDX-License-Identifier: Apache-2.0
// BoundEngine.cs - the same page store written the modern way: ThreadPoolBoundHandle with one
// PreAllocatedOverlapped reused for writes and AllocateNativeOverlapped for reads. Ported by the
// guide: step 4 (interceptor: nothing to change; or the explicit form: the two type names below).
using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Sgio;
using static PortSample.NativeMethods;
#if SGIO_EXPLICIT_BIND
using BoundHandle = Sgio.Threading.SgioBoundHandle;                  // PORT step 4 (explicit form)
using PreAllocated = Sgio.Threading.SgioPreAllocatedOverlapped;      // PORT step 4 (explicit form)
#else
using BoundHandle = System.Threading.ThreadPoolBoundHandle;
using PreAllocated = System.Threading.PreAllocatedOverlapped;
#endif

namespace PortSample
{
    internal sealed unsafe class BoundEngine : IDisposable
    {
        private readonly Win32FileHandle _handle;
        private readonly BoundHandle _bound;
        private readonly PreAllocated _writeOverlapped;
        private readonly FILE_SEGMENT_ELEMENT[] _writeSegments;
        private readonly int _pageSize;
        private TaskCompletionSource<uint>? _write;

        public BoundEngine(string path, IntPtr[] writePages, int pageSize)
        {
            _pageSize = pageSize;
            _handle = CreateFile(path, GENERIC_READ | GENERIC_WRITE, 0, IntPtr.Zero, OPEN_ALWAYS,
                                 FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, IntPtr.Zero);
            if (_handle.IsInvalid)
                throw LastError("CreateFile " + path);
            _bound = BoundHandle.BindHandle(_handle);
            _writeSegments = Segments(writePages);
            _writeOverlapped = new PreAllocated((errorCode, numBytes, p) =>
            {
                _bound.FreeNativeOverlapped(p);
                Complete(_write!, errorCode, numBytes);
            }, null, _writeSegments);
        }

        private static void Complete(TaskCompletionSource<uint> done, uint errorCode, uint numBytes)
        {
            if (errorCode != 0)
                done.SetException(new System.IO.IOException(Describe((int)errorCode), (int)errorCode));
            else
                done.SetResult(numBytes);
        }

        /// <summary>Writes the pages given at construction (one write at a time: one pre-allocated OVERLAPPED).</summary>
        public Task<uint> WriteAsync(long offset)
        {
            _write = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
            NativeOverlapped* native = _bound.AllocateNativeOverlapped(_writeOverlapped);
            native->OffsetLow = (int)offset;
            native->OffsetHigh = (int)(offset >> 32);
            var first = (FILE_SEGMENT_ELEMENT*)Marshal.UnsafeAddrOfPinnedArrayElement(_writeSegments, 0);
            if (!WriteFileGather(_handle, first, (uint)((_writeSegments.Length - 1) * _pageSize), IntPtr.Zero, native) &&
                Marshal.GetLastWin32Error() != ERROR_IO_PENDING)
            {
                Exception e = LastError("WriteFileGather");
                _bound.FreeNativeOverlapped(native);
                _write.SetException(e);
            }
            return _write.Task;
        }

        public Task<uint> ReadAsync(IntPtr[] pages, long offset)
        {
            var done = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
            FILE_SEGMENT_ELEMENT[] segments = Segments(pages);
            NativeOverlapped* native = _bound.AllocateNativeOverlapped((errorCode, numBytes, p) =>
            {
                if (!ReferenceEquals(BoundHandle.GetNativeOverlappedState(p), done))
                    throw new InvalidOperationException("wrong state");
                _bound.FreeNativeOverlapped(p);
                Complete(done, errorCode, numBytes);
            }, done, segments);
            native->OffsetLow = (int)offset;
            native->OffsetHigh = (int)(offset >> 32);
            var first = (FILE_SEGMENT_ELEMENT*)Marshal.UnsafeAddrOfPinnedArrayElement(segments, 0);
            if (!ReadFileScatter(_handle, first, (uint)(pages.Length * _pageSize), IntPtr.Zero, native) &&
                Marshal.GetLastWin32Error() != ERROR_IO_PENDING)
            {
                Exception e = LastError("ReadFileScatter");
                _bound.FreeNativeOverlapped(native);
                done.SetException(e);
            }
            return done.Task;
        }

        public void Dispose()
        {
            _writeOverlapped.Dispose();
            _bound.Dispose();
            _handle.Dispose();
        }
    }
}
