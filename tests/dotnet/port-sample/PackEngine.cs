// SPDX-License-Identifier: Apache-2.0
// PackEngine.cs - a page store written the FileStream way of .NET Framework: ThreadPool.BindHandle,
// Overlapped.Pack(IOCompletionCallback, pinned data), Overlapped.Unpack/Free in the callback.
// Ported by the guide: step 4 (interceptor: nothing to change; or the explicit call below), step 5.
using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Sgio;
using static PortSample.NativeMethods;

namespace PortSample
{
    internal sealed unsafe class PackEngine : IDisposable
    {
        private readonly Win32FileHandle _handle;

        public PackEngine(string path)
        {
            _handle = CreateFile(path, GENERIC_READ | GENERIC_WRITE, 0, IntPtr.Zero, OPEN_ALWAYS,
                                 FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, IntPtr.Zero);
            if (_handle.IsInvalid)
                throw LastError("CreateFile " + path);
#if SGIO_EXPLICIT_BIND
            if (!Sgio.Threading.SgioThreadPool.BindHandle(_handle)) // PORT step 4 (explicit form)
#else
            if (!ThreadPool.BindHandle(_handle))
#endif
                throw LastError("BindHandle");
        }

        public Task<uint> WriteAsync(IntPtr[] pages, int pageSize, long offset) => Io(true, pages, pageSize, offset);

        public Task<uint> ReadAsync(IntPtr[] pages, int pageSize, long offset) => Io(false, pages, pageSize, offset);

        private Task<uint> Io(bool write, IntPtr[] pages, int pageSize, long offset)
        {
            var done = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
            FILE_SEGMENT_ELEMENT[] segments = Segments(pages);
            var overlapped = new Overlapped { OffsetLow = (int)offset, OffsetHigh = (int)(offset >> 32) };
            NativeOverlapped* native = overlapped.Pack((errorCode, numBytes, p) =>
            {
                Overlapped.Unpack(p);
                Overlapped.Free(p);
                if (errorCode != 0)
                    done.SetException(new Win32Exception((int)errorCode, Sgio.Win32Error.Message((int)errorCode))); // PORT step 5 (SGIO1004 fix)
                else
                    done.SetResult(numBytes);
            }, segments); // Pack pins the segment array until Free
            var first = (FILE_SEGMENT_ELEMENT*)Marshal.UnsafeAddrOfPinnedArrayElement(segments, 0);
            uint bytes = (uint)(pages.Length * pageSize);
            bool completed = write ? WriteFileGather(_handle, first, bytes, IntPtr.Zero, native)
                                   : ReadFileScatter(_handle, first, bytes, IntPtr.Zero, native);
            if (!completed && Marshal.GetLastWin32Error() != ERROR_IO_PENDING)
            {
                Exception e = LastError(write ? "WriteFileGather" : "ReadFileScatter");
                Overlapped.Free(native);
                done.SetException(e);
            }
            return done.Task;
        }

        public long Length
        {
            get
            {
                uint low = GetFileSize(_handle, out uint high);
                if (low == INVALID_FILE_SIZE && Marshal.GetLastWin32Error() != 0)
                    throw LastError("GetFileSize");
                return ((long)high << 32) | low;
            }
        }

        public void SetLength(long length)
        {
            int high = (int)(length >> 32);
            if (SetFilePointer(_handle, (int)length, ref high, FILE_BEGIN) == INVALID_FILE_SIZE && Marshal.GetLastWin32Error() != 0)
                throw LastError("SetFilePointer");
            if (!SetEndOfFile(_handle))
                throw LastError("SetEndOfFile");
        }

        public void Dispose() => _handle.Dispose();
    }
}
