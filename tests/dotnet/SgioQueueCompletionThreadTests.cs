// SPDX-License-Identifier: Apache-2.0
// SgioQueueCompletionThreadTests.cs - the queue's completion thread blocks in the library (no
// polling slices: an idle queue's thread is not woken at all), Dispose/DisposeAsync wake it, and
// requests in flight at disposal all end with their real outcome. Every wait is bounded.
using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Sgio.Tests
{
    public class SgioQueueCompletionThreadTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

        // The /proc/self/task directory of the queue's completion thread, found by its name
        // ("sgioq-<handle in hex>", of which Linux keeps 15 characters).
        private static string? CompletionTask(SgioQueue q)
        {
            string name = $"sgioq-{(ulong)q.Handle.DangerousGetHandle():x}";
            if (name.Length > 15)
                name = name.Substring(0, 15);
            foreach (string task in Directory.GetDirectories("/proc/self/task"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == name)
                        return task;
                }
                catch (IOException)
                {
                    // the thread ended meanwhile
                }
            }
            return null;
        }

        private static long VoluntarySwitches(string task)
        {
            string line = File.ReadAllLines(Path.Combine(task, "status")).Single(l => l.StartsWith("voluntary_ctxt_switches:"));
            return long.Parse(line.Substring(line.IndexOf(':') + 1).Trim());
        }

        [Fact]
        public async Task IdleCompletionThreadSleepsInTheLibraryUntilWorkOrDispose()
        {
            string path = TestSupport.NewPath("queue-idle");
            try
            {
                var q = new SgioQueue(depth: 4);
                string? task = CompletionTask(q);
                Assert.NotNull(task);
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create, queue: q);
                Assert.Equal(8, await f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { new byte[8] }, 0).AsTask().WaitAsync(Bound));

                // Idle for 1.5 s: a thread that waits in time slices would wake several times a
                // second; one blocked in sgio_queue_wait(UINT32_MAX) does not wake at all.
                Thread.Sleep(100);
                long before = VoluntarySwitches(task!);
                Thread.Sleep(1500);
                long wakes = VoluntarySwitches(task!) - before;
                Assert.True(wakes <= 2, $"the idle completion thread woke {wakes} times in 1.5 s");

                // Still serving requests after the idle time, then Dispose wakes and ends it.
                Assert.Equal(8, await f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { new byte[8] }, 8).AsTask().WaitAsync(Bound));
                Assert.True(Task.Run(q.Dispose).Wait(Bound), "Dispose of an idle queue returned");
                var deadline = DateTime.UtcNow + Bound;
                while (Directory.Exists(task) && DateTime.UtcNow < deadline)
                    Thread.Sleep(10);
                Assert.False(Directory.Exists(task), "the completion thread ended after Dispose");
                Assert.Equal(16, f.Length);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task DisposingTheQueueWithRequestsInFlightEndsEveryTask(bool async)
        {
            string path = TestSupport.NewPath("queue-dispose-inflight");
            try
            {
                var q = new SgioQueue(depth: 32);
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | SgioOpenFlags.Direct, queue: q);
                using var mem = new SgioAlignedBuffer(1 << 20);
                var tasks = Enumerable.Range(0, 32)
                    .Select(i => f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { mem.Memory }, (long)i << 20).AsTask())
                    .ToList();
                if (async)
                    await q.DisposeAsync().AsTask().WaitAsync(Bound);
                else
                    Assert.True(Task.Run(q.Dispose).Wait(Bound), "Dispose returned");
                foreach (Task<long> t in tasks)
                {
                    // Every request has completed when Dispose returns; AsTask's Task follows on the
                    // thread pool (continuations run asynchronously), so give it the bound, not zero.
                    await Task.WhenAny(t, Task.Delay(Bound));
                    Assert.True(t.IsCompleted, "Dispose leaves no task pending");
                    if (t.IsCompletedSuccessfully)
                        Assert.Equal(1L << 20, t.Result);
                    else
                        Assert.Equal((int)SgioStatus.SGIO_ECANCELED, (int)Assert.IsType<SgioException>(t.Exception!.InnerException).Code);
                }
                Assert.Equal(0, q.InFlight);
                Assert.ThrowsAny<ObjectDisposedException>(() => { _ = f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { mem.Memory }, 0); });
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }
    }
}
