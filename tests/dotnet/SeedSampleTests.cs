// SPDX-License-Identifier: Apache-2.0
// SeedSampleTests.cs - the seed's sample (seed/SeedSample.cs.in), compiled unchanged against the
// binding and against a Windows program's own kernel32.dll declarations, writes and reads back.
using System;
using Xunit;
using K = Sgio.Kernel32;
using W = Sgio.Win32;
using Dll = Sgio.Tests.SeedOnKernel32.Kernel32Dll;

namespace Sgio.Tests
{
    public class SeedSampleTests
    {
        private const int Count = 3;          // buffers
        private const int PagesPerBuffer = 4; // ASize = 4 pages

        // The seed casts each buffer address to uint, which only round-trips below 4 GiB (true of
        // 32-bit Windows, where the sample comes from). MAP_32BIT memory keeps that true here; the
        // example program (examples/dotnet) shows the 64-bit-safe loop for VirtualAlloc memory.
        private static void RoundTrip(Func<IntPtr> open, Action<IntPtr> close, Func<int, SeedRunner> runner)
        {
            int page = TestSupport.PageSize;
            int size = PagesPerBuffer * page;
            using var write = new LowPages(Count * size);
            using var read = new LowPages(Count * size);
            Assert.True((ulong)write.Address < 0x1_0000_0000UL);
            var wbufs = new IntPtr[Count];
            var rbufs = new IntPtr[Count];
            for (int i = 0; i < Count; i++)
            {
                // Buffers in reverse memory order: the file must follow the list, not the addresses.
                wbufs[i] = write.Address + (Count - 1 - i) * size;
                rbufs[i] = read.Address + i * size;
                TestSupport.Fill(wbufs[i], size, (long)i * size + 8 * page, seed: 5);
            }
            IntPtr h = open();
            Assert.NotEqual(W.INVALID_HANDLE_VALUE, h);
            try
            {
                SeedRunner r = runner(page);
                Assert.Equal((uint)(Count * size), r.Write(h, wbufs, Count, size, 8L * page));
                Assert.Equal((uint)(Count * size), r.Read(h, rbufs, Count, size, 8L * page));
                for (int i = 0; i < Count; i++)
                    TestSupport.AssertPattern(rbufs[i], size, (long)i * size + 8 * page, seed: 5);
            }
            finally
            {
                close(h);
            }
        }

        internal sealed record SeedRunner(Func<IntPtr, IntPtr[], int, int, long, uint> Write,
                                          Func<IntPtr, IntPtr[], int, int, long, uint> Read);

        [Fact]
        public void SeedSampleRunsAgainstTheBinding()
        {
            string path = TestSupport.NewPath("seed-binding");
            try
            {
                RoundTrip(
                    () => K.CreateFileW(path, W.GENERIC_READ | W.GENERIC_WRITE, 0, IntPtr.Zero, W.CREATE_ALWAYS,
                                        W.FILE_FLAG_OVERLAPPED | W.FILE_FLAG_NO_BUFFERING, IntPtr.Zero),
                    h => Assert.True(K.CloseHandle(h)),
                    page =>
                    {
                        var s = new SeedOnBinding.SeedSample(page);
                        return new SeedRunner(s.WriteBuffers, s.ReadBuffers);
                    });
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void SeedSampleRunsAgainstKernel32DllRedirectedToLibsgio()
        {
            string path = TestSupport.NewPath("seed-kernel32");
            try
            {
                RoundTrip(
                    () => Dll.CreateFile(path, W.GENERIC_READ | W.GENERIC_WRITE, 0, IntPtr.Zero, W.CREATE_ALWAYS,
                                         W.FILE_FLAG_OVERLAPPED | W.FILE_FLAG_NO_BUFFERING, IntPtr.Zero),
                    h => Assert.True(Dll.CloseHandle(h)),
                    page =>
                    {
                        var s = new SeedOnKernel32.SeedSample(page);
                        return new SeedRunner(s.WriteBuffers, s.ReadBuffers);
                    });
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void Kernel32DllGetSystemInfoAndVirtualAllocComeFromLibsgio()
        {
            Dll.GetSystemInfo(out var si);
            Assert.Equal((uint)Environment.SystemPageSize, si.dwPageSize);
            Assert.Equal((uint)Environment.ProcessorCount, si.dwNumberOfProcessors);
            IntPtr p = Dll.VirtualAlloc(IntPtr.Zero, (UIntPtr)(3 * si.dwPageSize), W.MEM_COMMIT | W.MEM_RESERVE, W.PAGE_READWRITE);
            Assert.NotEqual(IntPtr.Zero, p);
            Assert.Equal(0, (long)p % si.dwPageSize);
            Assert.True(Dll.VirtualFree(p, UIntPtr.Zero, W.MEM_RELEASE));
        }
    }
}
