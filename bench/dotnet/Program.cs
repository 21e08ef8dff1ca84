// SPDX-License-Identifier: Apache-2.0
// SgioBench - the C# binding against .NET's own vectored file API on the same gathers:
//   sync:  SgioFile.WriteGather          vs RandomAccess.Write(SafeFileHandle, IReadOnlyList<ReadOnlyMemory<byte>>, long)
//   async: SgioFile.WriteGatherAsync     vs RandomAccess.WriteAsync (same list), QD requests in flight
// Both write the same file through the same descriptor (the SgioFile's fd wrapped in a
// SafeFileHandle), so direct I/O applies to both. Modes alternate A/B for several rounds; the table
// shows the median MB/s per mode, the ratio sgio / .NET, the process CPU per MiB of each (user +
// sys of every thread, in ns: CLOCK_PROCESS_CPUTIME_ID) and the issue-9 target for the ratio.
// Rounds alternate A B, B A, ...
//
//   dotnet SgioBench.dll [directory] [MiB per run=256] [pages per gather=16] [QD=32] [rounds=5] [direct|buffered|both]
//
// Fill pattern: the file is first written in full (so every run overwrites allocated blocks);
// buffered runs are preceded by fsync of the previous run.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Sgio;

namespace SgioBench
{
    internal static class Program
    {
        private static async Task<int> Main(string[] args)
        {
            string dir = args.Length > 0 ? args[0] : Path.GetTempPath();
            int mib = args.Length > 1 ? int.Parse(args[1]) : 256;
            int pagesPerGather = args.Length > 2 ? int.Parse(args[2]) : 16;
            int qd = args.Length > 3 ? int.Parse(args[3]) : 32;
            int rounds = args.Length > 4 ? int.Parse(args[4]) : 5;
            string which = args.Length > 5 ? args[5] : "both";
            int page = SgioLibrary.PageSize;
            int gatherBytes = pagesPerGather * page;
            int gathers = (int)((long)mib * 1048576 / gatherBytes);
            long fileBytes = (long)gathers * gatherBytes;

            Console.WriteLine($"sgio {SgioLibrary.Version} C# binding vs .NET {Environment.Version} RandomAccess; {Environment.ProcessorCount} CPUs");
            Console.WriteLine($"{mib} MiB per run, gathers of {pagesPerGather} x {page} B pages (scattered in memory), QD {qd} for async, {rounds} A/B rounds, median");
            Console.WriteLine($"queue backend: {SgioQueue.Shared.Backend}; file in {dir}");
            Console.WriteLine();
            Console.WriteLine("| mode | sgio MB/s | .NET MB/s | sgio / .NET | target | sgio CPU us/MiB | .NET CPU us/MiB |");
            Console.WriteLine("|---|---:|---:|---:|---|---:|---:|");

            foreach (bool direct in new[] { true, false })
            {
                if ((direct && which == "buffered") || (!direct && which == "direct"))
                    continue;
                string path = Path.Combine(dir, $"sgio-bench-{Environment.ProcessId}-{(direct ? "direct" : "buffered")}.bin");
                try
                {
                    await RunFile(path, direct, fileBytes, gathers, gatherBytes, pagesPerGather, page, qd, rounds);
                }
                finally
                {
                    File.Delete(path);
                }
            }
            return 0;
        }

        private static async Task RunFile(string path, bool direct, long fileBytes, int gathers, int gatherBytes,
                                          int pagesPerGather, int page, int qd, int rounds)
        {
            var flags = SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | SgioOpenFlags.Truncate | (direct ? SgioOpenFlags.Direct : 0);
            using var file = SgioFile.Open(path, flags);
            SgioNative.sgio_file_fd(file.Handle, out long fd);
            using var dotnetHandle = new SafeFileHandle((IntPtr)fd, ownsHandle: false);

            // QD slots of gatherBytes each; every gather takes its slot's pages in a scrambled order,
            // so no two consecutive segments are adjacent in memory.
            using var data = new SgioAlignedBuffer(qd * gatherBytes);
            var rnd = new Random(42);
            rnd.NextBytes(data.GetSpan());
            var lists = new List<ReadOnlyMemory<byte>>[qd];
            for (int s = 0; s < qd; s++)
            {
                int[] order = Enumerable.Range(0, pagesPerGather).Select(i => (i * 5 + 3) % pagesPerGather).ToArray();
                if (pagesPerGather % 5 == 0)
                    order = Enumerable.Range(0, pagesPerGather).Reverse().ToArray();
                lists[s] = order.Select(p => (ReadOnlyMemory<byte>)data.Memory.Slice(s * gatherBytes + p * page, page)).ToList();
            }

            // Fill the file once so runs overwrite allocated blocks.
            for (int g = 0; g < gathers; g++)
                file.WriteGather(lists[g % qd], (long)g * gatherBytes);
            file.Flush();

            string kind = direct ? "direct" : "buffered";
            var modes = new (string Name, double Target, Func<Task> Sgio, Func<Task> Net)[]
            {
                ($"sync gather write, {kind}", 1.0,
                 () => { for (int g = 0; g < gathers; g++) file.WriteGather(lists[g % qd], (long)g * gatherBytes); return Task.CompletedTask; },
                 () => { for (int g = 0; g < gathers; g++) RandomAccess.Write(dotnetHandle, lists[g % qd], (long)g * gatherBytes); return Task.CompletedTask; }),
                ($"async gather write QD{qd}, {kind}", direct ? 1.9 : 1.0,
                 () => Window(gathers, qd, g => file.WriteGatherAsync(lists[g % qd], (long)g * gatherBytes).AsTask()),
                 () => Window(gathers, qd, g => RandomAccess.WriteAsync(dotnetHandle, lists[g % qd], (long)g * gatherBytes).AsTask())),
            };
            foreach (var (name, target, sgio, net) in modes)
            {
                var a = new List<double>();
                var b = new List<double>();
                var ca = new List<double>();
                var cb = new List<double>();
                await sgio(); // warm-up (JIT, page cache state)
                await net();
                for (int r = 0; r < rounds; r++) // A B, B A, A B, ...: neither side always runs first
                {
                    for (int k = 0; k < 2; k++)
                    {
                        bool sgioTurn = (k == 0) == (r % 2 == 0);
                        var (mbps, cpu) = await Measure(sgioTurn ? sgio : net, fileBytes, file, direct);
                        (sgioTurn ? a : b).Add(mbps);
                        (sgioTurn ? ca : cb).Add(cpu);
                    }
                }
                double ma = Median(a), mb = Median(b), ratio = ma / mb;
                string verdict = ratio >= target ? "met" : "MISSED";
                Console.WriteLine($"| {name} | {ma:F0} | {mb:F0} | {ratio:F2}x | >= {target:F1}x {verdict} | {Median(ca):F0} | {Median(cb):F0} |");
            }
        }

        // Keeps qd requests in flight: slot g % qd is reused only after its previous request completed.
        private static async Task Window(int count, int qd, Func<int, Task> start)
        {
            var slots = new Task[Math.Min(qd, count)];
            for (int g = 0; g < count; g++)
            {
                int s = g % slots.Length;
                if (slots[s] != null)
                    await slots[s];
                slots[s] = start(g);
            }
            await Task.WhenAll(slots.Where(t => t != null));
        }

        // MB/s (MiB, wall clock) and process CPU microseconds per MiB of one run.
        private static async Task<(double MBps, double CpuUsPerMiB)> Measure(Func<Task> run, long bytes, SgioFile file, bool direct)
        {
            if (!direct)
                file.Flush(); // start each buffered run from a clean page cache state
            long cpu0 = ProcessCpuNanos();
            var sw = Stopwatch.StartNew();
            await run();
            sw.Stop();
            long cpu = ProcessCpuNanos() - cpu0;
            double mib = bytes / 1048576.0;
            return (mib / sw.Elapsed.TotalSeconds, cpu / 1000.0 / mib);
        }

        // CPU time of every thread of the process in ns (clock_gettime(CLOCK_PROCESS_CPUTIME_ID):
        // exact, and it keeps the time of threads that ended). Process.TotalProcessorTime counts
        // 10 ms clock ticks, too coarse for runs that use 20-50 ms of CPU.
        private static unsafe long ProcessCpuNanos()
        {
            const int ClockProcessCputimeId = 2;
            long* ts = stackalloc long[2]; // struct timespec on 64-bit Linux
            if (clock_gettime(ClockProcessCputimeId, ts) != 0)
                throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
            return ts[0] * 1_000_000_000L + ts[1];
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern unsafe int clock_gettime(int clock, long* ts);

        private static double Median(List<double> v)
        {
            var s = v.OrderBy(x => x).ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
    }
}
