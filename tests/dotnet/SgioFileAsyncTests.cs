// SPDX-License-Identifier: Apache-2.0
// SgioFileAsyncTests.cs - async gather/scatter through the queue (io_uring where available):
// 64 requests in flight with their data verified, cancellation, errors, disposal.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Sgio.Tests
{
    public class SgioFileAsyncTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

        [Theory]
        [InlineData(SgioBackend.Auto, true)]
        [InlineData(SgioBackend.Auto, false)]
        [InlineData(SgioBackend.Pool, true)]
        public async Task SixtyFourRequestsInFlightWriteAndReadBackTheirData(SgioBackend backend, bool direct)
        {
            const int Requests = 64, PagesPerRequest = 4;
            int page = SgioLibrary.PageSize;
            string path = TestSupport.NewPath("async64");
            using var queue = new SgioQueue(depth: Requests, backend: backend);
            using var w = new SgioAlignedBuffer(Requests * PagesPerRequest * page);
            using var r = new SgioAlignedBuffer(Requests * PagesPerRequest * page);
            try
            {
                var flags = SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | (direct ? SgioOpenFlags.Direct : 0);
                using var f = SgioFile.Open(path, flags, queue: queue);
                int reqBytes = PagesPerRequest * page;
                TestSupport.Fill(w.Address, Requests * reqBytes, 0, seed: 9);
                // Request k writes its pages, in reverse page order, at offset (63-k)*reqBytes.
                var writes = new List<ValueTask<long>>();
                for (int k = 0; k < Requests; k++)
                {
                    var segs = Enumerable.Range(0, PagesPerRequest).Reverse()
                        .Select(p => (ReadOnlyMemory<byte>)w.Memory.Slice(k * reqBytes + p * page, page)).ToList();
                    writes.Add(f.WriteGatherAsync(segs, (long)(Requests - 1 - k) * reqBytes));
                }
                foreach (ValueTask<long> t in writes)
                    Assert.Equal(reqBytes, await t.AsTask().WaitAsync(Bound));
                Assert.Equal((long)Requests * reqBytes, f.Length);

                var reads = new List<ValueTask<long>>();
                for (int k = 0; k < Requests; k++)
                {
                    var segs = Enumerable.Range(0, PagesPerRequest).Reverse()
                        .Select(p => r.Memory.Slice(k * reqBytes + p * page, page)).ToList();
                    reads.Add(f.ReadScatterAsync(segs, (long)(Requests - 1 - k) * reqBytes));
                }
                foreach (ValueTask<long> t in reads)
                    Assert.Equal(reqBytes, await t.AsTask().WaitAsync(Bound));
                // Reading back with the same reversed page order restores the original layout.
                Assert.True(r.GetSpan().SequenceEqual(w.GetSpan()));
                Assert.Equal(0, queue.InFlight);
                if (backend == SgioBackend.Pool)
                    Assert.Equal(SgioBackend.Pool, queue.Backend);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public async Task ManagedArraysStayPinnedWhileInFlight()
        {
            string path = TestSupport.NewPath("async-managed");
            try
            {
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create);
                var bufs = Enumerable.Range(0, 32).Select(i => new byte[1000 + i]).ToArray();
                for (int i = 0; i < bufs.Length; i++)
                    bufs[i].AsSpan().Fill((byte)i);
                var tasks = new List<Task<long>>();
                long offset = 0;
                for (int i = 0; i < bufs.Length; i++)
                {
                    tasks.Add(f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { bufs[i] }, offset).AsTask());
                    offset += bufs[i].Length;
                    GC.Collect(); // would move unpinned arrays
                }
                await Task.WhenAll(tasks).WaitAsync(Bound);
                var back = bufs.Select(b => new Memory<byte>(new byte[b.Length])).ToList();
                Assert.Equal(offset, await f.ReadScatterAsync(back, 0).AsTask().WaitAsync(Bound));
                for (int i = 0; i < bufs.Length; i++)
                    Assert.Equal(bufs[i], back[i].ToArray());
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public async Task AsyncErrorsAreSgioExceptions()
        {
            string path = TestSupport.NewPath("async-errors");
            try
            {
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | SgioOpenFlags.Direct);
                using var w = new SgioAlignedBuffer(2 * SgioLibrary.PageSize);
                var e = await Assert.ThrowsAsync<SgioException>(
                    async () => await f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { w.Memory.Slice(3, 4096) }, 0));
                Assert.Equal(SgioStatus.SGIO_EALIGN, e.Code);
                Assert.Equal(0, f.Length);
                using var r = SgioFile.Open(path, SgioOpenFlags.Read);
                e = await Assert.ThrowsAsync<SgioException>(
                    async () => await r.WriteGatherAsync(new ReadOnlyMemory<byte>[] { new byte[8] }, 0));
                Assert.Equal(SgioStatus.SGIO_EACCES, e.Code);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public async Task CancellationEndsCancelledOrWithTheFullResult()
        {
            string path = TestSupport.NewPath("async-cancel");
            try
            {
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create);
                var pre = new CancellationTokenSource();
                pre.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(
                    async () => await f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { new byte[8] }, 0, pre.Token));
                Assert.Equal(0, f.Length); // a pre-cancelled request never starts

                var data = new byte[1 << 20];
                var tasks = new List<(Task<long> Task, CancellationTokenSource Cts)>();
                for (int i = 0; i < 16; i++)
                {
                    var cts = new CancellationTokenSource();
                    tasks.Add((f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, (long)i * data.Length, cts.Token).AsTask(), cts));
                    cts.Cancel();
                }
                foreach (var (t, _) in tasks)
                {
                    try
                    {
                        Assert.Equal(data.Length, await t.WaitAsync(Bound));
                    }
                    catch (OperationCanceledException)
                    {
                        // cancelled before it completed: fine
                    }
                }
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public async Task DisposingTheFileWhileRequestsRunKeepsTheHandleUntilTheyComplete()
        {
            string path = TestSupport.NewPath("async-dispose");
            try
            {
                var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create);
                var data = new byte[256 * 1024];
                var tasks = Enumerable.Range(0, 8).Select(i => f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, (long)i * data.Length).AsTask()).ToList();
                f.Dispose();
                foreach (Task<long> t in tasks)
                    Assert.Equal(data.Length, await t.WaitAsync(Bound));
                Assert.Equal(8L * data.Length, new System.IO.FileInfo(path).Length);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void DisposedQueueRejectsRequestsAndTheCompletionThreadEnds()
        {
            string path = TestSupport.NewPath("async-queue-disposed");
            try
            {
                var q = new SgioQueue(depth: 4);
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create, queue: q);
                q.Dispose();
                q.Dispose();
                Assert.ThrowsAny<ObjectDisposedException>(() => { _ = f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { new byte[1] }, 0); });
                Assert.Equal(0, f.Length); // nothing was written, and the file handle is still usable
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }
    }
}
