// SPDX-License-Identifier: Apache-2.0
// SgioFileInlineCompletionTests.cs - async requests that end inside their submit call (a buffered
// write on io_uring, every request on the SYNC backend) come back as already completed ValueTasks,
// with the same results, exceptions, pin/unpin order and in-flight accounting as requests completed
// by the queue's completion thread; pooled operations never leak one request's state into the next.
using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Sgio.Tests
{
    public class SgioFileInlineCompletionTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

        // Whether a buffered write of this queue ends inside its submit call (sgio_queue.h:
        // io_uring writes buffered requests up to 1 MiB on the calling thread; SYNC runs every one).
        private static bool CompletesInline(SgioQueue q) => q.Backend is SgioBackend.Uring or SgioBackend.Sync;

        // io_uring (or the pool where the kernel has none), the inline SYNC engine, the worker pool.
        public static TheoryData<SgioBackend> Backends => new() { SgioBackend.Auto, SgioBackend.Sync, SgioBackend.Pool };

        // Runs body on a new buffered file (read/write) of a new queue, then deletes the file.
        private static async Task OnNewFile(string tag, SgioBackend backend, Func<SgioQueue, SgioFile, Task> body)
        {
            string path = TestSupport.NewPath(tag);
            using var q = new SgioQueue(depth: 8, backend: backend);
            try
            {
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create, queue: q);
                await body(q, f);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        /// <summary>Memory over a managed array that records its pins, so a test sees when they are released.</summary>
        private sealed unsafe class CountingMemory : MemoryManager<byte>
        {
            private readonly byte[] _data;
            private GCHandle _handle;
            private readonly IntPtr _fakeAddress;
            public int Pins, Unpins;

            public CountingMemory(byte[] data) => _data = data;

            /// <summary>Pins to <paramref name="address"/> instead of the array (memory the kernel cannot read).</summary>
            public CountingMemory(int length, IntPtr address)
            {
                _data = new byte[length];
                _fakeAddress = address;
            }

            public override Span<byte> GetSpan() => _data;

            public override MemoryHandle Pin(int elementIndex = 0)
            {
                Interlocked.Increment(ref Pins);
                if (_fakeAddress != IntPtr.Zero)
                    return new MemoryHandle((void*)(_fakeAddress + elementIndex), default, this);
                if (!_handle.IsAllocated)
                    _handle = GCHandle.Alloc(_data, GCHandleType.Pinned);
                return new MemoryHandle((byte*)_handle.AddrOfPinnedObject() + elementIndex, default, this);
            }

            public override void Unpin()
            {
                if (Interlocked.Increment(ref Unpins) == Volatile.Read(ref Pins) && _handle.IsAllocated)
                    _handle.Free();
            }

            protected override void Dispose(bool disposing)
            {
                if (_handle.IsAllocated)
                    _handle.Free();
            }
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public async Task BufferedWriteGatherAsyncCompletesWithItsBytesAndReleasesEverythingFirst(SgioBackend backend)
        {
            await OnNewFile("inline-write", backend, async (q, f) =>
            {
                var a = new CountingMemory(Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray());
                var b = new CountingMemory(Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray());
                var buffers = new ReadOnlyMemory<byte>[] { a.Memory, ReadOnlyMemory<byte>.Empty, b.Memory };
                for (int k = 0; k < 4; k++) // the later rounds reuse the pooled operation of the first
                {
                    ValueTask<long> t = f.WriteGatherAsync(buffers, k * 8000L);
                    if (CompletesInline(q))
                    {
                        // Completed before the call returned: no completion-thread round trip, and
                        // already unpinned, unreferenced and out of the in-flight counts.
                        Assert.True(t.IsCompletedSuccessfully, $"backend {q.Backend}: the buffered write ended inside the call");
                        Assert.Equal(a.Pins, a.Unpins);
                        Assert.Equal(b.Pins, b.Unpins);
                        Assert.Equal(0, f.InFlight);
                        Assert.Equal(0, q.InFlight);
                    }
                    Assert.Equal(8000, await t.AsTask().WaitAsync(Bound));
                    // Either way: the buffers are released when the result is visible.
                    Assert.Equal(k + 1, a.Pins);
                    Assert.Equal(a.Pins, a.Unpins);
                    Assert.Equal(b.Pins, b.Unpins);
                }
                Assert.Equal(0, f.InFlight);
                var back = new byte[32000];
                Assert.Equal(32000, f.ReadScatter(new Memory<byte>[] { back }, 0));
                for (int k = 0; k < 4; k++)
                {
                    Assert.True(back.AsSpan(k * 8000, 3000).SequenceEqual(a.GetSpan()));
                    Assert.True(back.AsSpan(k * 8000 + 3000, 5000).SequenceEqual(b.GetSpan()));
                }
            });
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public async Task AnUnreadableBufferFailsWithTheSameSgioExceptionOnEveryPath(SgioBackend backend)
        {
            await OnNewFile("inline-efault", backend, async (q, f) =>
            {
                // Page 1 (address 4096) is never mapped (vm.mmap_min_addr >= 4096): the kernel
                // cannot read the buffer, so the write completes with SGIO_EFAULT.
                var bad = new CountingMemory(4096, new IntPtr(4096));
                ValueTask<long> t = f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { bad.Memory }, 0);
                if (CompletesInline(q))
                    Assert.True(t.IsFaulted, $"backend {q.Backend}: the failed write ended inside the call");
                var e = await Assert.ThrowsAsync<SgioException>(async () => await t);
                Assert.Equal(SgioStatus.SGIO_EFAULT, e.Code);
                Assert.Equal(0, e.BytesTransferred);
                Assert.Equal(1, bad.Unpins);
                Assert.Equal(0, f.InFlight);
                Assert.Equal(0, q.InFlight);

                // The queue and its pooled operation keep working after the failure.
                var good = new byte[100];
                Assert.Equal(100, await f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { good }, 0));
            });
        }

        [Fact]
        public async Task ACancellableTokenOnAnInlineWriteIsReleasedWithTheRequest()
        {
            await OnNewFile("inline-cancel", SgioBackend.Sync, async (q, f) =>
            {
                using var cts = new CancellationTokenSource();
                var data = new byte[4096];
                ValueTask<long> t = f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, 0, cts.Token);
                Assert.True(t.IsCompletedSuccessfully);
                Assert.Equal(4096, await t);
                cts.Cancel(); // after completion: changes nothing, reaches no later request
                Assert.Equal(4096, await f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, 4096));

                // A token cancelled before the call still gives OperationCanceledException, nothing written.
                await Assert.ThrowsAnyAsync<OperationCanceledException>(
                    async () => await f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, 8192, cts.Token));
                Assert.Equal(8192, f.Length);
            });
        }

        [Fact]
        public async Task InlineWritesAllocateNothingOnceWarm()
        {
            await OnNewFile("inline-alloc", SgioBackend.Auto, async (q, f) =>
            {
                if (!CompletesInline(q))
                    return; // the Pool backend completes on its thread; this test is about the inline path
                using var mem = new SgioAlignedBuffer(16 * 4096);
                var buffers = Enumerable.Range(0, 16).Select(i => (ReadOnlyMemory<byte>)mem.Memory.Slice(i * 4096, 4096)).ToList();
                const int Requests = 10000;
                for (int i = 0; i < 1000; i++) // warm-up: the pool, the pending table, the JIT
                    await f.WriteGatherAsync(buffers, (i & 15) * 65536L);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < Requests; i++)
                {
                    ValueTask<long> t = f.WriteGatherAsync(buffers, (i & 15) * 65536L);
                    if (!t.IsCompletedSuccessfully || t.Result != 65536)
                        throw new Xunit.Sdk.XunitException($"request {i} did not complete inline with 65536 bytes");
                }
                long perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / Requests;
                // The smallest object is 24 bytes: any per-request allocation shows here.
                Assert.True(perRequest < 8, $"{perRequest} bytes allocated per inline request");
            });
        }

        [Fact]
        public async Task ThreadsMixingInlineAndRingRequestsOnOneQueueEachGetTheirOwnResults()
        {
            // Buffered writes end inside submit, direct ones on the ring: a submit may also take
            // other threads' ring completions and finish them. Every result must reach its owner.
            const int Threads = 4, PerThread = 300;
            int page = SgioLibrary.PageSize;
            string bufferedPath = TestSupport.NewPath("inline-mixed-buffered");
            string directPath = TestSupport.NewPath("inline-mixed-direct");
            using var q = new SgioQueue(depth: 16);
            using var mem = new SgioAlignedBuffer(Threads * 2 * page);
            try
            {
                using var buffered = SgioFile.Open(bufferedPath, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create, queue: q);
                using var direct = SgioFile.Open(directPath, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | SgioOpenFlags.Direct, queue: q);
                TestSupport.Fill(mem.Address, Threads * 2 * page, 0, seed: 3);
                var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(async () =>
                {
                    // Thread t writes its two pages (in swapped order) to its own slots of each file.
                    var pages = new ReadOnlyMemory<byte>[]
                    {
                        mem.Memory.Slice((2 * t + 1) * page, page), mem.Memory.Slice(2 * t * page, page),
                    };
                    for (int i = 0; i < PerThread; i++)
                    {
                        long offset = ((long)(i % 8) * Threads + t) * 2 * page;
                        ValueTask<long> a = buffered.WriteGatherAsync(pages, offset);
                        ValueTask<long> b = direct.WriteGatherAsync(pages, offset);
                        Assert.Equal(2 * page, await b);
                        Assert.Equal(2 * page, await a);
                    }
                })).ToArray();
                await Task.WhenAll(workers).WaitAsync(Bound);
                Assert.Equal(0, q.InFlight);
                foreach (SgioFile f in new[] { buffered, direct })
                {
                    using var back = new SgioAlignedBuffer(8 * Threads * 2 * page);
                    Assert.Equal(back.Length, f.ReadScatter(new[] { back.Memory }, 0));
                    for (int slot = 0; slot < 8 * Threads; slot++)
                    {
                        int t = slot % Threads;
                        Assert.True(back.GetSpan().Slice(slot * 2 * page, page).SequenceEqual(mem.GetSpan().Slice((2 * t + 1) * page, page)));
                        Assert.True(back.GetSpan().Slice((slot * 2 + 1) * page, page).SequenceEqual(mem.GetSpan().Slice(2 * t * page, page)));
                    }
                }
            }
            finally
            {
                TestSupport.TryDelete(bufferedPath);
                TestSupport.TryDelete(directPath);
            }
        }

        [Fact]
        public async Task DisposeAsyncWaitsForDirectRequestsCompletedByTheCompletionThread()
        {
            string path = TestSupport.NewPath("inline-dispose-direct");
            using var q = new SgioQueue(depth: 16);
            using var mem = new SgioAlignedBuffer(1 << 20);
            try
            {
                TestSupport.Fill(mem.Address, 1 << 20, 0, seed: 5);
                var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | SgioOpenFlags.Direct, queue: q);
                var tasks = new List<Task<long>>();
                for (int i = 0; i < 16; i++)
                    tasks.Add(f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { mem.Memory }, (long)i << 20).AsTask());
                await f.DisposeAsync().AsTask().WaitAsync(Bound);
                Assert.Equal(0, f.InFlight);
                Assert.True(f.Handle.IsClosed);
                long[] results = await Task.WhenAll(tasks).WaitAsync(Bound);
                Assert.All(results, r => Assert.Equal(1L << 20, r));
                Assert.Equal(16L << 20, new System.IO.FileInfo(path).Length);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }
    }
}
