// SPDX-License-Identifier: Apache-2.0
// Program.cs - drives both engines on Linux: concurrent gathers, scatters read back and compared,
// GetFileSize/SetFilePointer/SetEndOfFile, an end-of-file read and a failed open whose messages
// must be Windows' words (FormatMessage / Win32Error.Message). Prints "... on .NET N: OK".
// Usage: PortSample <dir> <expected .NET major>
using System;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using static PortSample.NativeMethods;

namespace PortSample
{
    internal static class Program
    {
        private const int PagesPerRequest = 4, Requests = 8;

        private static void Check(bool ok, string what)
        {
            if (!ok)
                throw new InvalidOperationException("FAIL: " + what);
        }

        private static unsafe void Fill(IntPtr page, int size, int seed) => new Span<byte>((void*)page, size).Fill((byte)(seed * 7 + 1));

        private static unsafe bool Holds(IntPtr page, int size, int seed) =>
            new Span<byte>((void*)page, size).IndexOfAnyExcept((byte)(seed * 7 + 1)) < 0;

        private static IntPtr[] Alloc(int count, int pageSize) =>
            Enumerable.Range(0, count).Select(_ => VirtualAlloc(IntPtr.Zero, (UIntPtr)pageSize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE)).ToArray();

        private static async Task PackFlow(string path, int page)
        {
            using var engine = new PackEngine(path);
            // Requests in flight together: one dispatcher thread completes them all.
            IntPtr[][] writes = Enumerable.Range(0, Requests).Select(_ => Alloc(PagesPerRequest, page)).ToArray();
            for (int r = 0; r < Requests; r++)
                for (int i = 0; i < PagesPerRequest; i++)
                    Fill(writes[r][i], page, r * PagesPerRequest + i);
            uint[] wrote = await Task.WhenAll(writes.Select((pages, r) => engine.WriteAsync(pages, page, (long)r * PagesPerRequest * page)));
            Check(wrote.All(n => n == PagesPerRequest * page), "pack: every gather wrote its bytes");
            Check(engine.Length == (long)Requests * PagesPerRequest * page, "pack: GetFileSize");
            IntPtr[] back = Alloc(PagesPerRequest, page);
            for (int r = 0; r < Requests; r++)
            {
                Check(await engine.ReadAsync(back, page, (long)r * PagesPerRequest * page) == PagesPerRequest * page, "pack: scatter size");
                for (int i = 0; i < PagesPerRequest; i++)
                    Check(Holds(back[i], page, r * PagesPerRequest + i), $"pack: request {r} page {i} read back");
            }
            engine.SetLength(2L * page);
            Check(engine.Length == 2L * page, "pack: SetFilePointer + SetEndOfFile");
            try
            {
                await engine.ReadAsync(back, page, 8L * page);
                Check(false, "pack: a read at end of file fails");
            }
            catch (Win32Exception e)
            {
                Check(e.NativeErrorCode == 38 && e.Message == "Reached the end of the file.", $"pack: EOF message '{e.Message}'");
            }
            foreach (IntPtr p in writes.SelectMany(x => x).Concat(back))
                VirtualFree(p, UIntPtr.Zero, MEM_RELEASE);
            Console.WriteLine($"pack engine (Overlapped.Pack + ThreadPool.BindHandle): {Requests} gathers, scatters, size, EOF: OK");
        }

        private static async Task BoundFlow(string path, int page)
        {
            IntPtr[] pages = Alloc(PagesPerRequest, page);
            using var engine = new BoundEngine(path, pages, page);
            for (int r = 0; r < Requests; r++)
            {
                for (int i = 0; i < PagesPerRequest; i++)
                    Fill(pages[i], page, 100 + r * PagesPerRequest + i);
                Check(await engine.WriteAsync((long)r * PagesPerRequest * page) == PagesPerRequest * page, "bound: gather size");
            }
            IntPtr[] back = Alloc(PagesPerRequest, page);
            for (int r = 0; r < Requests; r++)
            {
                Check(await engine.ReadAsync(back, (long)r * PagesPerRequest * page) == PagesPerRequest * page, "bound: scatter size");
                for (int i = 0; i < PagesPerRequest; i++)
                    Check(Holds(back[i], page, 100 + r * PagesPerRequest + i), $"bound: request {r} page {i} read back");
            }
            try
            {
                await engine.ReadAsync(back, 64L * page);
                Check(false, "bound: a read at end of file fails");
            }
            catch (IOException e)
            {
                Check(e.Message == "Reached the end of the file.", $"bound: EOF message '{e.Message}'");
            }
            foreach (IntPtr p in pages.Concat(back))
                VirtualFree(p, UIntPtr.Zero, MEM_RELEASE);
            Console.WriteLine("bound engine (ThreadPoolBoundHandle + PreAllocatedOverlapped): gathers, scatters, EOF: OK");
        }

        private static async Task<int> Main(string[] args)
        {
            Sgio.Kernel32.RedirectDllImports(typeof(Program).Assembly); // PORT step 1
            int expectedMajor = int.Parse(args[1]);
            Console.WriteLine($"runtime {Environment.Version}");
            Check(Environment.Version.Major == expectedMajor, $"running on .NET {expectedMajor}");
            int page = Environment.SystemPageSize;
            string pack = Path.Combine(args[0], $"port-pack-{Environment.ProcessId}.db");
            string bound = Path.Combine(args[0], $"port-bound-{Environment.ProcessId}.db");
            try
            {
                await PackFlow(pack, page);
                await BoundFlow(bound, page);
                try
                {
                    using var missing = new PackEngine(Path.Combine(args[0], "no-such-dir", "x.db"));
                    Check(false, "opening under a missing directory fails");
                }
                catch (IOException e)
                {
                    Check(e.Message.EndsWith(": The system cannot find the path specified.", StringComparison.Ordinal),
                          $"FormatMessage text '{e.Message}'");
                }
                Console.WriteLine($"port sample on .NET {Environment.Version.Major}: OK");
                return 0;
            }
            finally
            {
                File.Delete(pack);
                File.Delete(bound);
            }
        }
    }
}
