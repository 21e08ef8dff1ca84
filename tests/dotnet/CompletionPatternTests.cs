// SPDX-License-Identifier: Apache-2.0
// CompletionPatternTests.cs - the .NET completion pattern on Linux (Sgio.Threading): Overlapped.Pack +
// SgioThreadPool.BindHandle, SgioBoundHandle/SgioPreAllocatedOverlapped, their callbacks on the
// thread pool, and their argument errors. PackCallbackLayoutIsKnown is the loud failure for a
// runtime that moves the field Overlapped.Pack keeps its callback in (RuntimeInternals.cs).
using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Sgio.Threading;
using Xunit;
using K = Sgio.Kernel32;
using W = Sgio.Win32;

namespace Sgio.Tests
{
    public unsafe class CompletionPatternTests
    {
        private const int Pages4 = 4;

        /// <summary>What a completion callback saw.</summary>
        private sealed record Completion(uint Error, uint Bytes, bool OnThreadPool, string? Flowed);

        private static readonly AsyncLocal<string?> s_flow = new();

        private static Win32FileHandle Open(string tag, out string path)
        {
            path = TestSupport.NewPath(tag);
            IntPtr h = K.CreateFileW(path, W.GENERIC_READ | W.GENERIC_WRITE, 0, IntPtr.Zero, W.CREATE_ALWAYS,
                                     W.FILE_FLAG_OVERLAPPED | W.FILE_FLAG_NO_BUFFERING, IntPtr.Zero);
            Assert.True(h != W.INVALID_HANDLE_VALUE, $"CreateFileW: {Marshal.GetLastWin32Error()}");
            return new Win32FileHandle(h, ownsHandle: true);
        }

        private static Completion Await(TaskCompletionSource<Completion> tcs)
        {
            Assert.True(tcs.Task.Wait(TimeSpan.FromSeconds(30)), "the completion callback never ran");
            return tcs.Task.Result;
        }

        private static IOCompletionCallback Recorder(TaskCompletionSource<Completion> tcs, bool unpackAndFree) =>
            (error, bytes, ov) =>
            {
                if (unpackAndFree)
                {
                    Overlapped.Unpack(ov);
                    Overlapped.Free(ov);
                }
                tcs.SetResult(new Completion(error, bytes, Thread.CurrentThread.IsThreadPoolThread, s_flow.Value));
            };

        /// <summary>One request through Overlapped.Pack on a handle bound by SgioThreadPool.</summary>
        private static Completion PackedIo(Win32FileHandle h, Pages pages, bool write, long offset, bool unsafePack = false)
        {
            var tcs = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
            FILE_SEGMENT_ELEMENT[] segs = pages.AllSegments();
            var overlapped = new Overlapped { OffsetLow = (int)offset, OffsetHigh = (int)(offset >> 32) };
            NativeOverlapped* ov = unsafePack ? overlapped.UnsafePack(Recorder(tcs, true), segs)
                                              : overlapped.Pack(Recorder(tcs, true), segs);
            uint n = (uint)(pages.Count * pages.PageSize);
            bool started = write ? K.WriteFileGather(h.DangerousGetHandle(), segs, n, IntPtr.Zero, ref *ov)
                                 : K.ReadFileScatter(h.DangerousGetHandle(), segs, n, IntPtr.Zero, ref *ov);
            if (!started)
                Assert.Equal((int)W.ERROR_IO_PENDING, Marshal.GetLastWin32Error());
            return Await(tcs);
        }

        [Fact]
        public void PackCallbackLayoutIsKnown()
        {
            // Fails (PlatformNotSupportedException naming the runtime) when a runtime moves the field.
            string path;
            using Win32FileHandle h = Open("packlayout", out path);
            try
            {
                Assert.True(SgioThreadPool.BindHandle(h));
                using var pages = new Pages(1);
                s_flow.Value = "pack";
                Completion c = PackedIo(h, pages, write: true, 0);
                Assert.Equal("pack", c.Flowed); // Pack's ExecutionContext was found and used
                Completion u = PackedIo(h, pages, write: true, 0, unsafePack: true);
                Assert.Null(u.Flowed); // UnsafePack flows nothing
                Assert.Equal(0u, u.Error);
            }
            finally
            {
                s_flow.Value = null;
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void PackedGatherAndScatterCompleteOnThreadPool()
        {
            string path;
            using Win32FileHandle h = Open("packed", out path);
            try
            {
                Assert.True(SgioThreadPool.BindHandle(h));
                using var pages = new Pages(Pages4);
                long offset = pages.PageSize;
                TestSupport.Fill(pages.Address, Pages4 * pages.PageSize, offset, 3);
                Completion w = PackedIo(h, pages, write: true, offset);
                Assert.Equal(new Completion(0, (uint)(Pages4 * pages.PageSize), true, null), w);
                new Span<byte>((void*)pages.Address, Pages4 * pages.PageSize).Clear();
                Completion r = PackedIo(h, pages, write: false, offset);
                Assert.Equal(0u, r.Error);
                Assert.Equal((uint)(Pages4 * pages.PageSize), r.Bytes);
                TestSupport.AssertPattern(pages.Address, Pages4 * pages.PageSize, offset, 3);
                // A read at end of file fails with ERROR_HANDLE_EOF, as Windows reports it.
                Completion eof = PackedIo(h, pages, write: false, 16L * pages.PageSize);
                Assert.Equal(W.ERROR_HANDLE_EOF, eof.Error);
                Assert.Equal(0u, eof.Bytes);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void BindHandleRefusesSecondBindingAndClosedHandles()
        {
            string path;
            Win32FileHandle h = Open("bindtwice", out path);
            try
            {
                Assert.True(SgioThreadPool.BindHandle(h));
                Assert.False(SgioThreadPool.BindHandle(h)); // already associated with the port
                Assert.Equal((int)W.ERROR_INVALID_PARAMETER, Marshal.GetLastPInvokeError());
                Assert.Throws<ArgumentException>(() => SgioBoundHandle.BindHandle(h));
            }
            finally
            {
                h.Dispose();
                TestSupport.TryDelete(path);
            }
            Assert.Throws<ArgumentException>(() => SgioThreadPool.BindHandle(h));
            Assert.Throws<ArgumentException>(() => SgioBoundHandle.BindHandle(h));
            Assert.Throws<ArgumentNullException>(() => SgioBoundHandle.BindHandle(null!));
        }

        [Fact]
        public void UnsafeQueueNativeOverlappedRunsTheCallback()
        {
            var tcs = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
            NativeOverlapped* ov = new Overlapped().UnsafePack(Recorder(tcs, true), null);
            Assert.True(SgioThreadPool.UnsafeQueueNativeOverlapped(ov));
            Assert.Equal(new Completion(0, 0, true, null), Await(tcs));
        }

        [Fact]
        public void BoundHandleGatherScatterStateAndPinnedData()
        {
            string path;
            using Win32FileHandle h = Open("bound", out path);
            try
            {
                using SgioBoundHandle bound = SgioBoundHandle.BindHandle(h);
                Assert.Same(h, bound.Handle);
                using var pages = new Pages(Pages4);
                int bytes = Pages4 * pages.PageSize;
                TestSupport.Fill(pages.Address, bytes, 0, 5);
                foreach (bool write in new[] { true, false })
                {
                    if (!write)
                        new Span<byte>((void*)pages.Address, bytes).Clear();
                    var tcs = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
                    FILE_SEGMENT_ELEMENT[] segs = pages.AllSegments();
                    object state = new object();
                    object? seen = null;
                    NativeOverlapped* ov = bound.AllocateNativeOverlapped((e, n, p) =>
                    {
                        seen = SgioBoundHandle.GetNativeOverlappedState(p);
                        bound.FreeNativeOverlapped(p);
                        tcs.SetResult(new Completion(e, n, Thread.CurrentThread.IsThreadPoolThread, null));
                    }, state, segs);
                    Assert.Equal(0, ov->OffsetLow);
                    Assert.Same(state, SgioBoundHandle.GetNativeOverlappedState(ov));
                    bool started = write ? K.WriteFileGather(h.DangerousGetHandle(), segs, (uint)bytes, IntPtr.Zero, ref *ov)
                                         : K.ReadFileScatter(h.DangerousGetHandle(), segs, (uint)bytes, IntPtr.Zero, ref *ov);
                    if (!started)
                        Assert.Equal((int)W.ERROR_IO_PENDING, Marshal.GetLastWin32Error());
                    Assert.Equal(new Completion(0, (uint)bytes, true, null), Await(tcs));
                    Assert.Same(state, seen);
                }
                TestSupport.AssertPattern(pages.Address, bytes, 0, 5);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void PreAllocatedOverlappedIsReusedOneIoAtATime()
        {
            string path;
            using Win32FileHandle h = Open("prealloc", out path);
            try
            {
                using SgioBoundHandle bound = SgioBoundHandle.BindHandle(h);
                using var pages = new Pages(1);
                FILE_SEGMENT_ELEMENT[] segs = pages.AllSegments();
                TaskCompletionSource<Completion>? tcs = null;
                using var pre = new SgioPreAllocatedOverlapped((e, n, p) =>
                {
                    bound.FreeNativeOverlapped(p);
                    tcs!.SetResult(new Completion(e, n, Thread.CurrentThread.IsThreadPoolThread, s_flow.Value));
                }, "pre-state", segs);
                NativeOverlapped* first = null;
                for (int i = 0; i < 8; i++)
                {
                    tcs = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
                    s_flow.Value = $"round {i}";
                    NativeOverlapped* ov = bound.AllocateNativeOverlapped(pre);
                    if (i == 0)
                        first = ov;
                    Assert.True(ov == first, "a pre-allocated NativeOverlapped keeps its address");
                    Assert.Throws<ArgumentException>(() => bound.AllocateNativeOverlapped(pre)); // in use
                    Assert.Equal("pre-state", SgioBoundHandle.GetNativeOverlappedState(ov));
                    ov->OffsetLow = i * pages.PageSize;
                    TestSupport.Fill(pages.Address, pages.PageSize, ov->OffsetLow, i);
                    if (!K.WriteFileGather(h.DangerousGetHandle(), segs, (uint)pages.PageSize, IntPtr.Zero, ref *ov))
                        Assert.Equal((int)W.ERROR_IO_PENDING, Marshal.GetLastWin32Error());
                    Assert.Equal(new Completion(0, (uint)pages.PageSize, true, $"round {i}"), Await(tcs));
                }
                Assert.True(K.GetFileSizeEx(h.DangerousGetHandle(), out long size));
                Assert.Equal(8L * pages.PageSize, size);
            }
            finally
            {
                s_flow.Value = null;
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void ThreadPoolBoundHandleCompletesThroughSgio()
        {
            // Unchanged ThreadPoolBoundHandle code; only BindHandle is SgioThreadPool's (what the
            // interceptor substitutes). Covers AllocateNativeOverlapped and PreAllocatedOverlapped.
            string path;
            using Win32FileHandle h = Open("tpbound", out path);
            try
            {
                using ThreadPoolBoundHandle bound = SgioThreadPool.BindThreadPoolBoundHandle(h);
                Assert.Same(h, bound.Handle);
                Assert.Throws<ArgumentException>(() => SgioThreadPool.BindThreadPoolBoundHandle(h)); // already bound
                using var pages = new Pages(2);
                FILE_SEGMENT_ELEMENT[] segs = pages.AllSegments();
                int bytes = 2 * pages.PageSize;
                TestSupport.Fill(pages.Address, bytes, 0, 9);
                TaskCompletionSource<Completion>? tcs = null;
                IOCompletionCallback callback = (e, n, p) =>
                {
                    Assert.Equal("tp-state", ThreadPoolBoundHandle.GetNativeOverlappedState(p));
                    bound.FreeNativeOverlapped(p);
                    tcs!.SetResult(new Completion(e, n, Thread.CurrentThread.IsThreadPoolThread, null));
                };
                using var pre = new PreAllocatedOverlapped(callback, "tp-state", segs);
                for (int round = 0; round < 3; round++)
                {
                    tcs = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
                    NativeOverlapped* ov = round == 0 ? bound.AllocateNativeOverlapped(callback, "tp-state", segs)
                                                      : bound.AllocateNativeOverlapped(pre);
                    bool write = round < 2;
                    if (!write)
                        new Span<byte>((void*)pages.Address, bytes).Clear();
                    bool started = write ? K.WriteFileGather(h.DangerousGetHandle(), segs, (uint)bytes, IntPtr.Zero, ref *ov)
                                         : K.ReadFileScatter(h.DangerousGetHandle(), segs, (uint)bytes, IntPtr.Zero, ref *ov);
                    if (!started)
                        Assert.Equal((int)W.ERROR_IO_PENDING, Marshal.GetLastWin32Error());
                    Assert.Equal(new Completion(0, (uint)bytes, true, null), Await(tcs));
                }
                TestSupport.AssertPattern(pages.Address, bytes, 0, 9);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void ForeignOverlappedPointersAreRejected()
        {
            string path1, path2;
            using Win32FileHandle h1 = Open("foreign1", out path1);
            using Win32FileHandle h2 = Open("foreign2", out path2);
            try
            {
                using SgioBoundHandle b1 = SgioBoundHandle.BindHandle(h1);
                using SgioBoundHandle b2 = SgioBoundHandle.BindHandle(h2);
                NativeOverlapped* ov = b1.AllocateNativeOverlapped((e, n, p) => { }, null, null);
                Assert.Throws<ArgumentException>(() => b2.FreeNativeOverlapped(ov)); // another handle's
                b1.FreeNativeOverlapped(ov);
                NativeOverlapped* packed = new Overlapped().UnsafePack(null, null);
                try
                {
                    Assert.Throws<ArgumentException>(() => SgioBoundHandle.GetNativeOverlappedState(packed));
                    Assert.Throws<ArgumentException>(() => b1.FreeNativeOverlapped(packed));
                }
                finally
                {
                    Overlapped.Free(packed);
                }
                Assert.Throws<ArgumentNullException>(() => b1.AllocateNativeOverlapped(null!, null, null));
                b1.Dispose();
                Assert.Throws<ObjectDisposedException>(() => b1.AllocateNativeOverlapped((e, n, p) => { }, null, null));
            }
            finally
            {
                TestSupport.TryDelete(path1);
                TestSupport.TryDelete(path2);
            }
        }
    }
}
