// SPDX-License-Identifier: Apache-2.0
// TestSupport.cs - temp files on a direct-I/O capable file system, page-aligned memory, patterns.
using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Sgio.Tests
{
    internal static class TestSupport
    {
        public static int PageSize => Environment.SystemPageSize;

        /// <summary>A fresh file path under SGIO_TEST_DIR (set by CTest to the build tree) or the temp dir.</summary>
        public static string NewPath(string tag)
        {
            string dir = Environment.GetEnvironmentVariable("SGIO_TEST_DIR") is { Length: > 0 } d ? d : Path.GetTempPath();
            Directory.CreateDirectory(dir);
            return Path.Combine(dir, $"sgio-dotnet-{tag}-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        }

        /// <summary>Deterministic, position-dependent bytes so misplaced pages are caught.</summary>
        public static byte PatternByte(long fileOffset, int seed) => (byte)((fileOffset * 131 + seed * 7 + (fileOffset >> 12)) & 0xFF);

        public static unsafe void Fill(IntPtr p, int length, long fileOffset, int seed)
        {
            var s = new Span<byte>((void*)p, length);
            for (int i = 0; i < length; i++)
                s[i] = PatternByte(fileOffset + i, seed);
        }

        public static unsafe void AssertPattern(IntPtr p, int length, long fileOffset, int seed)
        {
            var s = new ReadOnlySpan<byte>((void*)p, length);
            for (int i = 0; i < length; i++)
            {
                if (s[i] != PatternByte(fileOffset + i, seed))
                    throw new Xunit.Sdk.XunitException($"byte {i} (file offset {fileOffset + i}): {s[i]} != {PatternByte(fileOffset + i, seed)}");
            }
        }

        public static void TryDelete(string path)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Memory below 4 GiB (MAP_32BIT), where the seed's (uint) pointer cast is lossless.</summary>
    internal sealed class LowPages : IDisposable
    {
        private const int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MAP_32BIT = 0x40;

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr mmap(IntPtr addr, nuint length, int prot, int flags, int fd, nint offset);

        [DllImport("libc", SetLastError = true)]
        private static extern int munmap(IntPtr addr, nuint length);

        public IntPtr Address { get; }
        public int Length { get; }

        public LowPages(int length)
        {
            Length = length;
            Address = mmap(IntPtr.Zero, (nuint)length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
            if (Address == new IntPtr(-1))
                throw new InvalidOperationException($"mmap(MAP_32BIT) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        public void Dispose() => munmap(Address, (nuint)Length);
    }
}
