// SPDX-License-Identifier: Apache-2.0
// SgioExample - the seed's C# WriteFileGather sample as a program, then the same data through the
// idiomatic SgioFile API (sync, then async with many requests in flight).
//
//   dotnet SgioExample.dll [directory] [MiB]      (defaults: the temp directory, 64 MiB)
//
// Part 1 is Windows code: kernel32's names and pinvoke.net's declarations, served by libsgio.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Sgio;
using static Sgio.Kernel32;
using static Sgio.Win32;

namespace SgioExample
{
    internal static class Program
    {
        private const int ACount = 4;            // buffers per gather
        private const int PagesPerBuffer = 16;   // ASize = 16 pages (64 KiB with 4 KiB pages)

        private static int FPageSize;

        private static int Main(string[] args)
        {
            string dir = args.Length > 0 ? args[0] : Path.GetTempPath();
            int mib = args.Length > 1 ? int.Parse(args[1]) : 64;
            string path = Path.Combine(dir, $"sgio-example-{Environment.ProcessId}.bin");
            try
            {
                Console.WriteLine($"libsgio {SgioLibrary.Version}, file {path}, {mib} MiB per pass");
                int rc = Win32Part(path, mib);
                if (rc != 0)
                    return rc;
                return SgioFilePart(path, mib).GetAwaiter().GetResult();
            }
            finally
            {
                DeleteFileW(path);
            }
        }

        private static unsafe void Fill(byte* p, int length, long fileOffset)
        {
            for (int i = 0; i < length; i++)
                p[i] = (byte)((fileOffset + i) * 31 + ((fileOffset + i) >> 12));
        }

        private static unsafe void FillAt(IntPtr p, int length, long fileOffset) => Fill((byte*)p, length, fileOffset);

        private static string Rate(long bytes, Stopwatch sw) => $"{bytes / 1048576.0 / sw.Elapsed.TotalSeconds:F0} MB/s";

        // ---- Part 1: the seed's sample (WriteFileGather, GetOverlappedResult, ReadFileScatter) ----
        private static unsafe int Win32Part(string path, int mib)
        {
            GetSystemInfo(out SYSTEM_INFO si);
            FPageSize = (int)si.dwPageSize;
            int ASize = PagesPerBuffer * FPageSize;
            int gatherBytes = ACount * ASize;
            int rounds = Math.Max(1, (int)((long)mib * 1048576 / gatherBytes));
            Console.WriteLine($"[Win32] page size {FPageSize} (GetSystemInfo), {ACount} VirtualAlloc buffers of {ASize} bytes per gather, {rounds} gathers");

            var ABuffers = new IntPtr[ACount];
            var RBuffers = new IntPtr[ACount];
            for (int i = 0; i < ACount; i++)
            {
                ABuffers[i] = VirtualAlloc(IntPtr.Zero, (UIntPtr)ASize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
                RBuffers[i] = VirtualAlloc(IntPtr.Zero, (UIntPtr)ASize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
                if (ABuffers[i] == IntPtr.Zero || RBuffers[i] == IntPtr.Zero)
                    return Fail("VirtualAlloc");
            }
            IntPtr hFile = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, IntPtr.Zero, CREATE_ALWAYS,
                                       FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, IntPtr.Zero);
            if (hFile == INVALID_HANDLE_VALUE)
                return Fail("CreateFileW");
            try
            {
                var sw = new Stopwatch(); // times the I/O calls only
                for (int r = 0; r < rounds; r++)
                {
                    long offset = (long)r * gatherBytes;
                    for (int i = 0; i < ACount; i++)
                        Fill((byte*)ABuffers[i], ASize, offset + (long)i * ASize);
                    sw.Start();
                    bool ok = Gather(hFile, ABuffers, ACount, ASize, offset, write: true, out uint n);
                    sw.Stop();
                    if (!ok || n != gatherBytes)
                        return Fail("WriteFileGather");
                }
                long total = (long)rounds * gatherBytes;
                if (!GetFileSizeEx(hFile, out long size) || size != total)
                    return Fail("GetFileSizeEx");
                Console.WriteLine($"[Win32] WriteFileGather: wrote {total} bytes in {rounds} gathers of {ACount * PagesPerBuffer} pages, {Rate(total, sw)}");

                sw.Reset();
                long verified = 0;
                for (int r = 0; r < rounds; r++)
                {
                    long offset = (long)r * gatherBytes;
                    sw.Start();
                    bool ok = Gather(hFile, RBuffers, ACount, ASize, offset, write: false, out uint n);
                    sw.Stop();
                    if (!ok || n != gatherBytes)
                        return Fail("ReadFileScatter");
                    for (int i = 0; i < ACount; i++)
                    {
                        Fill((byte*)ABuffers[i], ASize, offset + (long)i * ASize);
                        if (!new ReadOnlySpan<byte>((void*)RBuffers[i], ASize).SequenceEqual(new ReadOnlySpan<byte>((void*)ABuffers[i], ASize)))
                            return Fail($"verify at offset {offset + (long)i * ASize}");
                        verified += ASize;
                    }
                }
                Console.WriteLine($"[Win32] ReadFileScatter: read {verified} bytes back, verified, {Rate(verified, sw)}");
            }
            finally
            {
                CloseHandle(hFile);
                for (int i = 0; i < ACount; i++)
                {
                    VirtualFree(ABuffers[i], UIntPtr.Zero, MEM_RELEASE);
                    VirtualFree(RBuffers[i], UIntPtr.Zero, MEM_RELEASE);
                }
            }
            return 0;
        }

        // The seed's segment loop. One change: the seed casts each address to (uint), which drops the
        // upper half of a 64-bit pointer (VirtualAlloc returns addresses above 4 GiB); (long) keeps it.
        private static unsafe bool Gather(IntPtr hFile, IntPtr[] ABuffers, int ACount, int ASize, long offset, bool write, out uint transferred)
        {
            int LPerBufferPageCount = ASize / FPageSize;
            FILE_SEGMENT_ELEMENT* LElements = stackalloc FILE_SEGMENT_ELEMENT[(ACount * LPerBufferPageCount) + 1];
            for (int LElementIndex = 0; LElementIndex < ACount; LElementIndex++)
              for (int LPageIndex = 0; LPageIndex < LPerBufferPageCount; LPageIndex++)
               LElements[(LElementIndex * LPerBufferPageCount) + LPageIndex].Buffer =
                (IntPtr)((long)ABuffers[LElementIndex] + (LPageIndex * FPageSize));
            LElements[(ACount * LPerBufferPageCount)].Buffer = IntPtr.Zero;

            // The OVERLAPPED lives in this frame, which waits for the completion below.
            var ov = new NativeOverlapped { OffsetLow = (int)offset, OffsetHigh = (int)(offset >> 32) };
            int ok = write ? WriteFileGather(hFile, LElements, ACount * ASize, IntPtr.Zero, &ov)
                           : ReadFileScatter(hFile, LElements, ACount * ASize, IntPtr.Zero, &ov);
            if (ok == 0 && Marshal.GetLastWin32Error() != ERROR_IO_PENDING)
            {
                transferred = 0;
                return false;
            }
            return GetOverlappedResult(hFile, ref ov, out transferred, true);
        }

        private static int Fail(string what)
        {
            int err = Marshal.GetLastWin32Error();
            Console.Error.WriteLine($"{what} failed: Win32 error {err}");
            return 1;
        }

        // ---- Part 2: SgioFile (native face): sync gathers, then async with 32 in flight ----
        private static async Task<int> SgioFilePart(string path, int mib)
        {
            int page = SgioLibrary.PageSize;
            int gatherBytes = ACount * PagesPerBuffer * page;
            int rounds = Math.Max(1, (int)((long)mib * 1048576 / gatherBytes));
            long total = (long)rounds * gatherBytes;
            using var file = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Direct | SgioOpenFlags.Truncate);
            Console.WriteLine($"[SgioFile] direct I/O, alignment {file.Alignment}, queue backend {SgioQueue.Shared.Backend}");

            // One aligned block per round; each gather takes its pages in a scrambled order.
            using var data = new SgioAlignedBuffer(gatherBytes * Math.Min(rounds, 32));
            int slots = Math.Min(rounds, 32);
            for (int s = 0; s < slots; s++)
                FillAt((IntPtr)((long)data.Address + (long)s * gatherBytes), gatherBytes, s);
            int pages = gatherBytes / page;
            int[] order = Enumerable.Range(0, pages).Select(i => (i * 7) % pages).ToArray(); // 7 is coprime to 64
            List<ReadOnlyMemory<byte>> Segs(int slot) =>
                order.Select(p => (ReadOnlyMemory<byte>)data.Memory.Slice(slot * gatherBytes + p * page, page)).ToList();

            var sw = Stopwatch.StartNew();
            long written = 0;
            for (int r = 0; r < rounds; r++)
                written += file.WriteGather(Segs(r % slots), (long)r * gatherBytes);
            sw.Stop();
            Console.WriteLine($"[SgioFile] WriteGather (sync): wrote {written} bytes, {Rate(written, sw)}");

            sw.Restart();
            var inFlight = new Queue<ValueTask<long>>();
            long writtenAsync = 0;
            for (int r = 0; r < rounds; r++)
            {
                if (inFlight.Count == slots)
                    writtenAsync += await inFlight.Dequeue();
                inFlight.Enqueue(file.WriteGatherAsync(Segs(r % slots), (long)r * gatherBytes));
            }
            while (inFlight.Count > 0)
                writtenAsync += await inFlight.Dequeue();
            sw.Stop();
            Console.WriteLine($"[SgioFile] WriteGatherAsync ({slots} in flight): wrote {writtenAsync} bytes, {Rate(writtenAsync, sw)}");

            using var back = new SgioAlignedBuffer(gatherBytes);
            long read = 0;
            sw.Restart();
            for (int r = 0; r < rounds; r++)
            {
                var dst = order.Select(p => back.Memory.Slice(p * page, page)).ToList();
                long n = await file.ReadScatterAsync(dst, (long)r * gatherBytes);
                if (n != gatherBytes || !back.GetSpan().SequenceEqual(data.GetSpan().Slice((r % slots) * gatherBytes, gatherBytes)))
                {
                    Console.Error.WriteLine($"[SgioFile] verify failed at round {r}");
                    return 1;
                }
                read += n;
            }
            sw.Stop();
            Console.WriteLine($"[SgioFile] ReadScatterAsync: read {read} bytes back, verified, {Rate(read, sw)} (one at a time, incl. verifying)");
            if (file.Length != total)
                return 1;
            Console.WriteLine("OK");
            return 0;
        }
    }
}
