// SPDX-License-Identifier: Apache-2.0
// Win32ErrorTests.cs - every documented failure returns FALSE and the Win32 code through
// Marshal.GetLastWin32Error (sgio stores it in errno; SetLastError=true reads errno on Linux).
using System;
using System.Runtime.InteropServices;
using System.Threading;
using Xunit;
using K = Sgio.Kernel32;
using W = Sgio.Win32;

namespace Sgio.Tests
{
    public class Win32ErrorTests
    {
        private static void AssertFails(bool result, uint expected)
        {
            int err = Marshal.GetLastWin32Error();
            Assert.False(result);
            Assert.Equal((int)expected, err);
        }

        [Fact]
        public void MisalignedBufferIsInvalidParameter()
        {
            using var f = new Win32File("e-misaligned");
            using var p = new Pages(2);
            // A valid page first, so the read below is not simply at end of file.
            NativeOverlapped ov = default;
            bool started = K.WriteFileGather(f.Handle, p.Segments(1), (uint)p.PageSize, IntPtr.Zero, ref ov);
            Assert.Equal((uint)p.PageSize, Ov.Finish(f.Handle, started, ref ov));
            FILE_SEGMENT_ELEMENT[] s = p.Segments(0);
            s[0].Buffer = p[0] + 512;
            ov = default;
            AssertFails(K.WriteFileGather(f.Handle, s, (uint)p.PageSize, IntPtr.Zero, ref ov), W.ERROR_INVALID_PARAMETER);
            ov = default;
            AssertFails(K.ReadFileScatter(f.Handle, s, (uint)p.PageSize, IntPtr.Zero, ref ov), W.ERROR_INVALID_PARAMETER);
        }

        [Fact]
        public void NonOverlappedHandleIsInvalidParameter()
        {
            using var f = new Win32File("e-sync", flags: W.FILE_FLAG_NO_BUFFERING);
            using var p = new Pages(1);
            NativeOverlapped ov = default;
            AssertFails(K.WriteFileGather(f.Handle, p.AllSegments(), (uint)p.PageSize, IntPtr.Zero, ref ov), W.ERROR_INVALID_PARAMETER);
        }

        [Fact]
        public unsafe void NullOverlappedIsInvalidParameter()
        {
            using var f = new Win32File("e-nullov");
            using var p = new Pages(1);
            FILE_SEGMENT_ELEMENT* s = stackalloc FILE_SEGMENT_ELEMENT[2];
            s[0].Buffer = p[0];
            s[1].Buffer = IntPtr.Zero;
            int ok = K.WriteFileGather(f.Handle, s, p.PageSize, IntPtr.Zero, null);
            AssertFails(ok != 0, W.ERROR_INVALID_PARAMETER);
            ok = K.ReadFileScatter(f.Handle, s, p.PageSize, IntPtr.Zero, null);
            AssertFails(ok != 0, W.ERROR_INVALID_PARAMETER);
        }

        [Fact]
        public void NonNullReservedIsInvalidParameter()
        {
            using var f = new Win32File("e-reserved");
            using var p = new Pages(1);
            NativeOverlapped ov = default;
            uint reserved = 0;
            unsafe
            {
                AssertFails(K.WriteFileGather(f.Handle, p.AllSegments(), (uint)p.PageSize, (IntPtr)(&reserved), ref ov),
                            W.ERROR_INVALID_PARAMETER);
            }
        }

        [Fact]
        public void ByteCountNotASectorMultipleIsInvalidParameter()
        {
            using var f = new Win32File("e-count");
            using var p = new Pages(1);
            NativeOverlapped ov = default;
            AssertFails(K.WriteFileGather(f.Handle, p.AllSegments(), 100, IntPtr.Zero, ref ov), W.ERROR_INVALID_PARAMETER);
        }

        [Fact]
        public void BadAndClosedHandlesAreInvalidHandle()
        {
            using var p = new Pages(1);
            NativeOverlapped ov = default;
            AssertFails(K.WriteFileGather((IntPtr)0x7FFF0004, p.AllSegments(), (uint)p.PageSize, IntPtr.Zero, ref ov), W.ERROR_INVALID_HANDLE);
            var f = new Win32File("e-closed");
            IntPtr h = f.Handle;
            f.Dispose();
            AssertFails(K.ReadFileScatter(h, p.AllSegments(), (uint)p.PageSize, IntPtr.Zero, ref ov), W.ERROR_INVALID_HANDLE);
            AssertFails(K.CloseHandle(h), W.ERROR_INVALID_HANDLE);
            AssertFails(K.GetFileSizeEx(h, out _), W.ERROR_INVALID_HANDLE);
        }

        [Fact]
        public void WrongAccessIsAccessDenied()
        {
            // Three handles on one file: each shares read and write with the others (share modes are enforced).
            const uint share = W.FILE_SHARE_READ | W.FILE_SHARE_WRITE;
            using var w = new Win32File("e-access", share: share);
            using var p = new Pages(1);
            NativeOverlapped ov = default;
            using var r = new Win32File("e-access-r", access: W.GENERIC_READ, disposition: W.OPEN_EXISTING, path: w.Path, share: share);
            AssertFails(K.WriteFileGather(r.Handle, p.AllSegments(), (uint)p.PageSize, IntPtr.Zero, ref ov), W.ERROR_ACCESS_DENIED);
            using var wo = new Win32File("e-access-w", access: W.GENERIC_WRITE, disposition: W.OPEN_EXISTING, path: w.Path, share: share);
            ov = default;
            AssertFails(K.ReadFileScatter(wo.Handle, p.AllSegments(), (uint)p.PageSize, IntPtr.Zero, ref ov), W.ERROR_ACCESS_DENIED);
        }

        [Fact]
        public void ReadAtEndOfFileEndsWithHandleEof()
        {
            using var f = new Win32File("e-eof");
            using var p = new Pages(2);
            NativeOverlapped ov = Ov.At(16L * p.PageSize);
            bool started = K.ReadFileScatter(f.Handle, p.AllSegments(), (uint)(2 * p.PageSize), IntPtr.Zero, ref ov);
            if (!started)
            {
                int err = Marshal.GetLastWin32Error();
                if (err == (int)W.ERROR_IO_PENDING)
                    AssertFails(K.GetOverlappedResultEx(f.Handle, ref ov, out _, 30_000, false), W.ERROR_HANDLE_EOF);
                else
                    Assert.Equal((int)W.ERROR_HANDLE_EOF, err);
            }
            else
            {
                Assert.Fail("a read at end of file succeeded");
            }
            // Either way the OVERLAPPED says so too.
            AssertFails(K.GetOverlappedResult(f.Handle, ref ov, out uint n, false), W.ERROR_HANDLE_EOF);
            Assert.Equal(0u, n);
        }

        [Fact]
        public void PendingOverlappedWithoutWaitIsIoIncomplete()
        {
            using var f = new Win32File("e-incomplete");
            // An OVERLAPPED that says STATUS_PENDING and that nothing will complete.
            NativeOverlapped ov = default;
            ov.InternalLow = (IntPtr)W.STATUS_PENDING;
            AssertFails(K.GetOverlappedResult(f.Handle, ref ov, out _, false), W.ERROR_IO_INCOMPLETE);
            AssertFails(K.GetOverlappedResultEx(f.Handle, ref ov, out _, 0, false), W.ERROR_IO_INCOMPLETE);
        }

        [Fact]
        public void CancelWithNothingInFlightIsNotFound()
        {
            using var f = new Win32File("e-cancel");
            NativeOverlapped ov = default;
            AssertFails(K.CancelIoEx(f.Handle, ref ov), W.ERROR_NOT_FOUND);
        }

        [Fact]
        public void OpenErrorsAreTheWin32Codes()
        {
            string missing = TestSupport.NewPath("missing");
            IntPtr h = K.CreateFileW(missing, W.GENERIC_READ, 0, IntPtr.Zero, W.OPEN_EXISTING, 0, IntPtr.Zero);
            Assert.Equal(W.INVALID_HANDLE_VALUE, h);
            Assert.Equal((int)W.ERROR_FILE_NOT_FOUND, Marshal.GetLastWin32Error());
            h = K.CreateFileW(System.IO.Path.Combine(missing, "sub", "x"), W.GENERIC_READ, 0, IntPtr.Zero, W.OPEN_EXISTING, 0, IntPtr.Zero);
            Assert.Equal(W.INVALID_HANDLE_VALUE, h);
            Assert.Equal((int)W.ERROR_PATH_NOT_FOUND, Marshal.GetLastWin32Error());
        }

        [Fact]
        public void SuccessClearsTheLastError()
        {
            using var f = new Win32File("e-clear");
            Assert.False(K.CloseHandle((IntPtr)0x7FFF0004));
            Assert.Equal((int)W.ERROR_INVALID_HANDLE, Marshal.GetLastWin32Error());
            Assert.True(K.GetFileSizeEx(f.Handle, out long size));
            Assert.Equal(0, size);
            Assert.Equal(0, Marshal.GetLastWin32Error()); // SetLastError=true clears errno before the call
        }
    }
}
