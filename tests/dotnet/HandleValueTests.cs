// SPDX-License-Identifier: Apache-2.0
// HandleValueTests.cs - what SafeFileHandle does to an sgio handle on Linux (.NET releases it with
// close(2) on the value, never CloseHandle): the value must never be an open descriptor, so that
// stray close fails with EBADF instead of closing some other file of the process. And
// Win32FileHandle, the type to declare instead, really closes the sgio handle.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Xunit;
using K = Sgio.Kernel32;
using W = Sgio.Win32;

namespace Sgio.Tests
{
    public class HandleValueTests
    {
        private const int F_GETFD = 1, RLIMIT_NOFILE = 7, EBADF = 9;

        [StructLayout(LayoutKind.Sequential)]
        private struct RLimit { public ulong Current, Max; }

        [DllImport("libc", SetLastError = true)]
        private static extern int fcntl(int fd, int cmd);

        [DllImport("libc", SetLastError = true)]
        private static extern int getrlimit(int resource, out RLimit limit);

        [Fact]
        public void SgioHandleValuesAreNeverDescriptors()
        {
            Assert.Equal(0, getrlimit(RLIMIT_NOFILE, out RLimit limit));
            var files = new List<Win32File>();
            try
            {
                for (int i = 0; i < 64; i++)
                {
                    var f = new Win32File($"hv{i}", flags: W.FILE_FLAG_OVERLAPPED);
                    files.Add(f);
                    long v = f.Handle.ToInt64();
                    // Above every descriptor number the kernel can hand this process...
                    Assert.True((ulong)v >= limit.Max, $"handle {v} is within RLIMIT_NOFILE ({limit.Max})");
                    // ...and none is open there now: close(2) on it fails with EBADF.
                    if (v <= int.MaxValue)
                    {
                        Assert.Equal(-1, fcntl((int)v, F_GETFD));
                        Assert.Equal(EBADF, Marshal.GetLastPInvokeError());
                    }
                }
            }
            finally
            {
                foreach (Win32File f in files)
                    f.Dispose();
            }
        }

        [Fact]
        public void SafeFileHandleDisposalLeavesTheSgioHandleOpen()
        {
            using var f = new Win32File("safefile", flags: W.FILE_FLAG_OVERLAPPED);
            var sfh = new SafeFileHandle(f.Handle, ownsHandle: true);
            sfh.Dispose(); // close(2) on a non-descriptor: EBADF, nothing else closed
            Assert.True(K.GetFileSizeEx(f.Handle, out long size), "the sgio handle is still open (the leak SGIO1003 reports)");
            Assert.Equal(0, size);
        }

        [Fact]
        public void Win32FileHandleClosesTheSgioHandle()
        {
            string path = TestSupport.NewPath("w32handle");
            try
            {
                IntPtr value = K.CreateFileW(path, W.GENERIC_READ | W.GENERIC_WRITE, 0, IntPtr.Zero, W.CREATE_ALWAYS,
                                             W.FILE_FLAG_OVERLAPPED, IntPtr.Zero);
                Assert.True(value != W.INVALID_HANDLE_VALUE, $"CreateFileW: {Marshal.GetLastWin32Error()}");
                var h = new Win32FileHandle(value, ownsHandle: true);
                Assert.False(h.IsInvalid);
                h.Dispose(); // CloseHandle
                Assert.False(K.GetFileSizeEx(value, out _));
                Assert.Equal((int)W.ERROR_INVALID_HANDLE, Marshal.GetLastWin32Error());
                Assert.True(new Win32FileHandle(W.INVALID_HANDLE_VALUE, ownsHandle: true).IsInvalid);
                Assert.True(new Win32FileHandle().IsInvalid);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }
    }
}
