// SPDX-License-Identifier: Apache-2.0
// Win32Helpers.cs - files, pages and segment arrays for the Win32-face tests.
using System;
using System.Runtime.InteropServices;
using System.Threading;
using Xunit;
using K = Sgio.Kernel32;
using W = Sgio.Win32;

namespace Sgio.Tests
{
    /// <summary>A file opened with CreateFileW, deleted with DeleteFileW.</summary>
    internal sealed class Win32File : IDisposable
    {
        public string Path { get; }
        public IntPtr Handle { get; private set; }

        public Win32File(string tag, uint access = W.GENERIC_READ | W.GENERIC_WRITE,
                         uint flags = W.FILE_FLAG_OVERLAPPED | W.FILE_FLAG_NO_BUFFERING, uint disposition = W.CREATE_ALWAYS,
                         string? path = null, uint share = 0)
        {
            Path = path ?? TestSupport.NewPath(tag);
            Handle = K.CreateFileW(Path, access, share, IntPtr.Zero, disposition, flags, IntPtr.Zero);
            int err = Marshal.GetLastWin32Error();
            Assert.True(Handle != W.INVALID_HANDLE_VALUE, $"CreateFileW failed: {err}");
        }

        public void Close()
        {
            if (Handle != IntPtr.Zero)
            {
                Assert.True(K.CloseHandle(Handle));
                Handle = IntPtr.Zero;
            }
        }

        public void Dispose()
        {
            Close();
            K.DeleteFileW(Path);
        }
    }

    /// <summary>VirtualAlloc'd pages (released with VirtualFree).</summary>
    internal sealed class Pages : IDisposable
    {
        public IntPtr Address { get; }
        public int Count { get; }
        public int PageSize { get; }

        public Pages(int count)
        {
            K.GetSystemInfo(out SYSTEM_INFO si);
            PageSize = (int)si.dwPageSize;
            Count = count;
            Address = K.VirtualAlloc(IntPtr.Zero, (UIntPtr)(count * PageSize), W.MEM_COMMIT | W.MEM_RESERVE, W.PAGE_READWRITE);
            Assert.NotEqual(IntPtr.Zero, Address);
        }

        public IntPtr this[int i] => Address + i * PageSize;

        /// <summary>One element per page (in the given page order) plus the NULL terminator, on the pinned heap.</summary>
        public FILE_SEGMENT_ELEMENT[] Segments(params int[] order)
        {
            var a = GC.AllocateArray<FILE_SEGMENT_ELEMENT>(order.Length + 1, pinned: true);
            for (int i = 0; i < order.Length; i++)
                a[i].Buffer = this[order[i]];
            return a;
        }

        public FILE_SEGMENT_ELEMENT[] AllSegments()
        {
            var order = new int[Count];
            for (int i = 0; i < Count; i++)
                order[i] = i;
            return Segments(order);
        }

        public void Dispose() => Assert.True(K.VirtualFree(Address, UIntPtr.Zero, W.MEM_RELEASE));
    }

    internal static class Ov
    {
        public static NativeOverlapped At(long offset, IntPtr hEvent = default) =>
            new NativeOverlapped { OffsetLow = (int)offset, OffsetHigh = (int)(offset >> 32), EventHandle = hEvent };

        /// <summary>Waits for a started request: TRUE immediately or FALSE with ERROR_IO_PENDING.</summary>
        public static uint Finish(IntPtr h, bool started, ref NativeOverlapped ov)
        {
            if (!started)
                Assert.Equal((int)W.ERROR_IO_PENDING, Marshal.GetLastWin32Error());
            bool ok = K.GetOverlappedResultEx(h, ref ov, out uint n, 30_000, false);
            Assert.True(ok, $"GetOverlappedResultEx: {Marshal.GetLastWin32Error()}");
            return n;
        }
    }
}
