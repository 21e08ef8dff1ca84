// SPDX-License-Identifier: Apache-2.0
// Win32RoundTripTests.cs - gather write + scatter read through the Win32 face: array and pointer
// forms, events, completion ports, GetFileSizeEx/FlushFileBuffers, and the handle round trip that
// proves sgio's CreateFileW/CloseHandle/GetLastError are called (not CoreCLR's PAL namesakes).
using System;
using System.Runtime.InteropServices;
using System.Threading;
using Xunit;
using K = Sgio.Kernel32;
using W = Sgio.Win32;

namespace Sgio.Tests
{
    public class Win32RoundTripTests
    {
        [Fact]
        public void ArrayFormGatherWriteAndScatterReadRoundTrip()
        {
            using var f = new Win32File("w32-array");
            using var wp = new Pages(8);
            using var rp = new Pages(8);
            int page = wp.PageSize;
            // Pages gathered out of memory order.
            int[] order = { 3, 0, 7, 1, 6, 2, 5, 4 };
            for (int i = 0; i < order.Length; i++)
                TestSupport.Fill(wp[order[i]], page, (long)(i + 2) * page, seed: 1);
            FILE_SEGMENT_ELEMENT[] ws = wp.Segments(order);
            IntPtr ev = K.CreateEventW(IntPtr.Zero, true, false, null!);
            Assert.NotEqual(IntPtr.Zero, ev);
            try
            {
                NativeOverlapped ov = Ov.At(2L * page, ev);
                bool started = K.WriteFileGather(f.Handle, ws, (uint)(8 * page), IntPtr.Zero, ref ov);
                Assert.True(started || Marshal.GetLastWin32Error() == (int)W.ERROR_IO_PENDING, $"{Marshal.GetLastWin32Error()}");
                Assert.Equal(W.WAIT_OBJECT_0, K.WaitForSingleObject(ev, 30_000)); // the event says it completed
                Assert.True(K.GetOverlappedResult(f.Handle, ref ov, out uint wrote, false));
                Assert.Equal((uint)(8 * page), wrote);

                Assert.True(K.GetFileSizeEx(f.Handle, out long size));
                Assert.Equal(10L * page, size);
                Assert.True(K.FlushFileBuffers(f.Handle));

                FILE_SEGMENT_ELEMENT[] rs = rp.AllSegments();
                Assert.True(K.ResetEvent(ev));
                ov = Ov.At(2L * page, ev);
                started = K.ReadFileScatter(f.Handle, rs, (uint)(8 * page), IntPtr.Zero, ref ov);
                Assert.Equal((uint)(8 * page), Ov.Finish(f.Handle, started, ref ov));
                for (int i = 0; i < 8; i++)
                    TestSupport.AssertPattern(rp[i], page, (long)(i + 2) * page, seed: 1);
            }
            finally
            {
                Assert.True(K.CloseHandle(ev));
            }
        }

        [Fact]
        public unsafe void PointerFormRoundTripWithTheStructsInUnmanagedMemory()
        {
            using var f = new Win32File("w32-pointer");
            using var wp = new Pages(16);
            using var rp = new Pages(16);
            int page = wp.PageSize;
            var segs = (FILE_SEGMENT_ELEMENT*)NativeMemory.AllocZeroed(17, (nuint)sizeof(FILE_SEGMENT_ELEMENT));
            var ov = (NativeOverlapped*)NativeMemory.AllocZeroed((nuint)sizeof(NativeOverlapped));
            try
            {
                for (int i = 0; i < 16; i++)
                {
                    TestSupport.Fill(wp[i], page, (long)i * page, seed: 2);
                    segs[i].Buffer = wp[i];
                }
                int ok = K.WriteFileGather(f.Handle, segs, 16 * page, IntPtr.Zero, ov);
                Assert.Equal((uint)(16 * page), Ov.Finish(f.Handle, ok != 0, ref *ov));
                for (int i = 0; i < 16; i++)
                    segs[i].Buffer = rp[15 - i]; // read back into reversed pages
                *ov = default;
                ok = K.ReadFileScatter(f.Handle, segs, 16 * page, IntPtr.Zero, ov);
                Assert.Equal((uint)(16 * page), Ov.Finish(f.Handle, ok != 0, ref *ov));
                for (int i = 0; i < 16; i++)
                    TestSupport.AssertPattern(rp[15 - i], page, (long)i * page, seed: 2);
            }
            finally
            {
                NativeMemory.Free(segs);
                NativeMemory.Free(ov);
            }
        }

        [Fact]
        public unsafe void CompletionPortDeliversTheKeyTheOverlappedAndTheByteCount()
        {
            using var f = new Win32File("w32-iocp");
            using var wp = new Pages(4);
            int page = wp.PageSize;
            IntPtr port = K.CreateIoCompletionPort(f.Handle, IntPtr.Zero, (UIntPtr)0x5A5A, 0);
            Assert.NotEqual(IntPtr.Zero, port);
            FILE_SEGMENT_ELEMENT[] ws = wp.AllSegments();
            var ov = (NativeOverlapped*)NativeMemory.AllocZeroed((nuint)sizeof(NativeOverlapped));
            try
            {
                bool started = K.WriteFileGather(f.Handle, ws, (uint)(4 * page), IntPtr.Zero, ref *ov);
                if (!started)
                    Assert.Equal((int)W.ERROR_IO_PENDING, Marshal.GetLastWin32Error());
                Assert.True(K.GetQueuedCompletionStatus(port, out uint n, out UIntPtr key, out IntPtr pov, 30_000),
                            $"GetQueuedCompletionStatus: {Marshal.GetLastWin32Error()}");
                Assert.Equal((uint)(4 * page), n);
                Assert.Equal((UIntPtr)0x5A5A, key);
                Assert.Equal((IntPtr)ov, pov);

                // Posted packets come back unchanged; an empty port times out with WAIT_TIMEOUT.
                Assert.True(K.PostQueuedCompletionStatus(port, 7, (UIntPtr)9, ref *ov));
                Assert.True(K.GetQueuedCompletionStatus(port, out n, out key, out pov, 30_000));
                Assert.Equal((7u, (UIntPtr)9, (IntPtr)ov), (n, key, pov));
                Assert.False(K.GetQueuedCompletionStatus(port, out _, out _, out pov, 0));
                Assert.Equal((int)W.WAIT_TIMEOUT, Marshal.GetLastWin32Error());
                Assert.Equal(IntPtr.Zero, pov);
            }
            finally
            {
                Assert.True(K.CloseHandle(port));
                NativeMemory.Free(ov);
            }
        }

        [Fact]
        public void CreateFileWTakesUtf16PathsIncludingSurrogatePairs()
        {
            string path = TestSupport.NewPath("utf16-\u00fc\u20ac\U0001F600");
            IntPtr h = K.CreateFileW(path, W.GENERIC_WRITE, 0, IntPtr.Zero, W.CREATE_NEW, 0, IntPtr.Zero);
            Assert.NotEqual(W.INVALID_HANDLE_VALUE, h);
            try
            {
                Assert.True(System.IO.File.Exists(path)); // the BCL finds the same name (UTF-8 on disk)
            }
            finally
            {
                Assert.True(K.CloseHandle(h));
                Assert.True(K.DeleteFileW(path));
            }
            Assert.False(System.IO.File.Exists(path));
        }

        [Fact]
        public void EventsSignalAndReset()
        {
            IntPtr ev = K.CreateEventW(IntPtr.Zero, true, false, null!);
            Assert.NotEqual(IntPtr.Zero, ev);
            Assert.Equal(W.WAIT_TIMEOUT, K.WaitForSingleObject(ev, 0));
            Assert.True(K.SetEvent(ev));
            Assert.Equal(W.WAIT_OBJECT_0, K.WaitForSingleObject(ev, 0));
            Assert.True(K.ResetEvent(ev));
            Assert.Equal(W.WAIT_TIMEOUT, K.WaitForSingleObject(ev, 0));
            Assert.True(K.CloseHandle(ev));
        }

        // CoreCLR's PAL exports CreateFileW, CloseHandle and GetLastError of its own. If any of these
        // calls reached the PAL, the handle would be unknown to the other side and the last error
        // would not be sgio's.
        [Fact]
        public void CreateFileWCloseHandleAndGetLastErrorAreSgios()
        {
            string path = TestSupport.NewPath("pal");
            IntPtr h = K.CreateFileW(path, W.GENERIC_WRITE, 0, IntPtr.Zero, W.CREATE_NEW, 0, IntPtr.Zero);
            Assert.NotEqual(W.INVALID_HANDLE_VALUE, h);
            Assert.Equal(0, (long)h % 4); // sgio handle table entries are multiples of 4
            Assert.True(K.CloseHandle(h));
            Assert.False(K.CloseHandle(h)); // sgio knows it closed it
            Assert.Equal((int)W.ERROR_INVALID_HANDLE, Marshal.GetLastWin32Error());
            Assert.Equal(W.ERROR_INVALID_HANDLE, K.GetLastError()); // sgio's thread-local value
            IntPtr again = K.CreateFileW(path, W.GENERIC_WRITE, 0, IntPtr.Zero, W.CREATE_NEW, 0, IntPtr.Zero);
            Assert.Equal(W.INVALID_HANDLE_VALUE, again);
            Assert.Equal((int)W.ERROR_FILE_EXISTS, Marshal.GetLastWin32Error());
            Assert.Equal(W.ERROR_FILE_EXISTS, K.GetLastError());
            K.SetLastError(1234);
            Assert.Equal(1234u, K.GetLastError());
            Assert.True(K.DeleteFileW(path));
            Assert.False(K.DeleteFileW(path));
            Assert.Equal((int)W.ERROR_FILE_NOT_FOUND, Marshal.GetLastWin32Error());

            // The symbols the runtime bound are libsgio's, not libcoreclr's namesakes.
            IntPtr sgio = NativeLibrary.Load("libsgio.so", typeof(Kernel32).Assembly, null);
            Assert.True(NativeLibrary.TryGetExport(sgio, "CreateFileW", out IntPtr ours));
            string coreclr = System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libcoreclr.so");
            if (NativeLibrary.TryLoad(coreclr, out IntPtr clr) && NativeLibrary.TryGetExport(clr, "CreateFileW", out IntPtr pal))
                Assert.NotEqual(pal, ours);
        }
    }
}
