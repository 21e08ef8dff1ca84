// SPDX-License-Identifier: Apache-2.0
// PackageApiTests.cs - the porting helpers of the Sgio package: Windows' error wording
// (Win32Error, Win32IOException), kernel32 redirection of any spelling, SgioFile <-> SafeFileHandle
// and DisposeAsync of SgioFile and SgioQueue.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Xunit;
using K = Sgio.Kernel32;
using W = Sgio.Win32;

namespace Sgio.Tests
{
    internal static class OtherSpellings
    {
        static OtherSpellings() => K.RedirectDllImports(typeof(OtherSpellings).Assembly);

        [DllImport("KERNEL32", EntryPoint = "SetLastError")]
        public static extern void SetLastErrorUpper(uint code);

        [DllImport("Kernel32.DLL", EntryPoint = "GetLastError")]
        public static extern uint GetLastErrorMixed();
    }

    public class Win32ErrorMessageTests
    {
        [Fact]
        public void MessagesAreWindowsWording()
        {
            Assert.Equal("The parameter is incorrect.", Win32Error.Message(87));
            Assert.Equal("The handle is invalid.", Win32Error.Message(6));
            Assert.Equal("Overlapped I/O operation is in progress.", Win32Error.Message(997));
            Assert.Equal("Reached the end of the file.", Win32Error.Message(38));
            Assert.Equal("The wait operation timed out.", Win32Error.Message(258));
            Assert.Equal("Unknown error (0x2a)", Win32Error.Message(42));
            Assert.Equal("ERROR_INVALID_PARAMETER", Win32Error.Name(87));
            Assert.Null(Win32Error.Name(42));
        }

        [Fact]
        public void EveryErrorCodeOfTheHeaderHasAnEntryOfTheSameName()
        {
            var consts = typeof(W).GetFields(BindingFlags.Public | BindingFlags.Static)
                                  .Where(f => f.IsLiteral && f.Name.StartsWith("ERROR_", StringComparison.Ordinal))
                                  .ToList();
            Assert.True(consts.Count >= 25);
            foreach (FieldInfo f in consts)
            {
                int code = (int)(uint)f.GetRawConstantValue()!;
                Assert.Equal(f.Name, Win32Error.Name(code));
                Assert.DoesNotContain("Unknown error", Win32Error.Message(code));
            }
            Assert.Equal(Win32Error.KnownCodes.OrderBy(c => c), Win32Error.KnownCodes);
        }

        [Fact]
        public void ExceptionCarriesCodeHResultAndWindowsMessage()
        {
            var e = new Win32IOException(87);
            Assert.IsAssignableFrom<IOException>(e);
            Assert.Equal(87, e.NativeErrorCode);
            Assert.Equal(unchecked((int)0x80070057), e.HResult);
            Assert.Equal("The parameter is incorrect.", e.Message);
        }

        [Fact]
        public void FromLastErrorReadsTheFailingCallsCode()
        {
            Assert.False(K.CloseHandle(new IntPtr(0x7777_0000)));
            Win32IOException e = Win32IOException.FromLastError("CloseHandle");
            Assert.Equal((int)W.ERROR_INVALID_HANDLE, e.NativeErrorCode);
            Assert.Equal("CloseHandle: The handle is invalid.", e.Message);
        }
    }

    public class RedirectTests
    {
        [Fact]
        public void AnySpellingOfKernel32BindsToLibsgio()
        {
            OtherSpellings.SetLastErrorUpper(1234);
            Assert.Equal(1234u, OtherSpellings.GetLastErrorMixed());
            K.RedirectDllImports(typeof(RedirectTests).Assembly); // again: no-op, no exception
            Assert.Throws<ArgumentNullException>(() => K.RedirectDllImports(null!));
        }
    }

    public class SafeFileHandleInteropTests
    {
        private static byte[] Bytes(int n, int seed) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 + seed)).ToArray();

        [Fact]
        public void DuplicateSafeFileHandleServesRandomAccessAndOutlivesTheSgioFile()
        {
            string path = TestSupport.NewPath("dup-sfh");
            try
            {
                byte[] a = Bytes(3000, 1), b = Bytes(5000, 2);
                SafeFileHandle h;
                using (var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create))
                {
                    f.WriteGather(new ReadOnlyMemory<byte>[] { a, b }, 100);
                    h = f.DuplicateSafeFileHandle();
                }
                using (h)
                {
                    Assert.Equal(8100, RandomAccess.GetLength(h));
                    var back = new byte[8000];
                    Assert.Equal(8000, RandomAccess.Read(h, back, 100));
                    Assert.Equal(a.Concat(b), back);
                    RandomAccess.Write(h, new byte[] { 9, 9 }, 0);
                    using var fs = new FileStream(h, FileAccess.ReadWrite);
                    Assert.Equal(8100, fs.Length);
                }
                Assert.Equal(new byte[] { 9, 9 }, File.ReadAllBytes(path)[..2]);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void FromSafeFileHandleAdoptsADuplicateAndLeavesTheOriginalOpen()
        {
            string path = TestSupport.NewPath("from-sfh");
            try
            {
                using SafeFileHandle original = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
                byte[] a = Bytes(4096, 3), b = Bytes(100, 4);
                using (var f = SgioFile.FromSafeFileHandle(original))
                {
                    Assert.Equal(SgioOpenFlags.ReadWrite, f.Flags);
                    Assert.Equal(4196, f.WriteGather(new ReadOnlyMemory<byte>[] { a, b }, 0));
                    Assert.Equal(4196, f.Length);
                }
                Assert.False(original.IsClosed);
                var back = new byte[4196];
                Assert.Equal(4196, RandomAccess.Read(original, back, 0));
                Assert.Equal(a.Concat(b), back);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void FromSafeFileHandleKeepsTheHandlesAccessAndRejectsClosedHandles()
        {
            string path = TestSupport.NewPath("from-sfh-ro");
            try
            {
                File.WriteAllBytes(path, Bytes(64, 5));
                using (SafeFileHandle ro = File.OpenHandle(path, FileMode.Open, FileAccess.Read))
                using (var f = SgioFile.FromSafeFileHandle(ro))
                {
                    Assert.Equal(SgioOpenFlags.Read, f.Flags);
                    var buf = new byte[64];
                    Assert.Equal(64, f.ReadScatter(new Memory<byte>[] { buf }, 0));
                    var e = Assert.Throws<SgioException>(() => f.WriteGather(new ReadOnlyMemory<byte>[] { buf }, 0));
                    Assert.Equal(SgioStatus.SGIO_EACCES, e.Code);
                }
                SafeFileHandle closed = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
                closed.Dispose();
                Assert.Throws<ObjectDisposedException>(() => SgioFile.FromSafeFileHandle(closed));
                Assert.Throws<ArgumentNullException>(() => SgioFile.FromSafeFileHandle(null!));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    public class AsyncDisposeTests
    {
        [Fact]
        public async Task SgioFileDisposeAsyncWaitsForItsRequests()
        {
            string path = TestSupport.NewPath("dispose-async");
            try
            {
                using var queue = new SgioQueue(depth: 4);
                var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create, queue: queue);
                var data = new byte[1 << 20];
                new Random(7).NextBytes(data);
                var tasks = new List<Task<long>>();
                for (int i = 0; i < 16; i++) // more than the depth: some wait for a slot
                    tasks.Add(f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, (long)i << 20).AsTask());
                await f.DisposeAsync();
                // Every write finished before the file was closed ...
                Assert.Equal(0, f.InFlight);
                Assert.True(f.IsClosed);
                Assert.True(f.Handle.IsClosed);
                byte[] back = File.ReadAllBytes(path);
                Assert.Equal(16L << 20, back.Length);
                for (int i = 0; i < 16; i++)
                    Assert.True(back.AsSpan(i << 20, 1 << 20).SequenceEqual(data));
                // ... and succeeded (AsTask's wrappers complete on the thread pool, hence the await).
                long[] results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
                Assert.All(results, r => Assert.Equal(1L << 20, r));
                Assert.Throws<ObjectDisposedException>(() => { _ = f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, 0); });
                await f.DisposeAsync(); // twice: nothing left to do
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task SgioQueueDisposeAsyncEndsEveryRequestAndFreesTheQueue()
        {
            string path = TestSupport.NewPath("queue-dispose-async");
            try
            {
                var queue = new SgioQueue(depth: 8);
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create, queue: queue);
                var data = new byte[256 << 10];
                var tasks = Enumerable.Range(0, 8)
                    .Select(i => f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, (long)i * data.Length).AsTask()).ToList();
                await queue.DisposeAsync();
                Assert.True(queue.Handle.IsClosed);
                Assert.Equal(0, queue.InFlight);
                // Completed before the cancel reached it, or cancelled: never left pending.
                await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(30)));
                foreach (Task<long> t in tasks)
                {
                    Assert.True(t.IsCompleted);
                    if (t.IsCompletedSuccessfully)
                        Assert.Equal(data.Length, t.Result);
                    else
                        Assert.True(t.Exception!.InnerException is SgioException { Code: SgioStatus.SGIO_ECANCELED });
                }
                Assert.Throws<ObjectDisposedException>(() => { _ = f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { data }, 0); });
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
