// SPDX-License-Identifier: Apache-2.0
// SgioFileTests.cs - the idiomatic native face: gather write / scatter read, buffered and direct,
// properties, and errors as SgioException (an IOException) with the SGIO_E* code.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Sgio.Tests
{
    public class SgioFileTests
    {
        private static byte[] Pattern(int length, long fileOffset, int seed)
        {
            var b = new byte[length];
            for (int i = 0; i < length; i++)
                b[i] = TestSupport.PatternByte(fileOffset + i, seed);
            return b;
        }

        [Fact]
        public void BufferedGatherWriteAndScatterReadOfOddSizes()
        {
            string path = TestSupport.NewPath("file-buffered");
            try
            {
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create);
                int[] sizes = { 1, 7, 4096, 0, 13, 65536, 3 };
                long offset = 1000;
                var src = new List<ReadOnlyMemory<byte>>();
                long pos = offset;
                foreach (int s in sizes)
                {
                    src.Add(Pattern(s, pos, 3));
                    pos += s;
                }
                long total = sizes.Sum();
                Assert.Equal(total, f.WriteGather(src, offset));
                Assert.Equal(offset + total, f.Length);
                Assert.Equal(new SgioAlignment(1, 1), f.Alignment);

                var dst = sizes.Select(s => new Memory<byte>(new byte[s])).ToList();
                Assert.Equal(total, f.ReadScatter(dst, offset));
                pos = offset;
                for (int i = 0; i < sizes.Length; i++)
                {
                    Assert.Equal(Pattern(sizes[i], pos, 3), dst[i].ToArray());
                    pos += sizes[i];
                }
                // Cross-check with the BCL: the bytes are really in the file at that offset.
                byte[] all = File.ReadAllBytes(path);
                Assert.Equal(Pattern((int)total, offset, 3), all.Skip((int)offset).ToArray());
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void ReadScatterStopsAtEndOfFile()
        {
            string path = TestSupport.NewPath("file-eof");
            try
            {
                File.WriteAllBytes(path, Pattern(10, 0, 4));
                using var f = SgioFile.Open(path, SgioOpenFlags.Read);
                var a = new byte[4];
                var b = new byte[100];
                b.AsSpan().Fill(0xEE);
                Assert.Equal(10, f.ReadScatter(new Memory<byte>[] { a, b }, 0));
                Assert.Equal(Pattern(4, 0, 4), a);
                Assert.Equal(Pattern(6, 4, 4), b.Take(6).ToArray());
                Assert.All(b.Skip(6), x => Assert.Equal(0xEE, x)); // untouched beyond what was read
                Assert.Equal(0, f.ReadScatter(new Memory<byte>[] { a }, 10));
                Assert.Equal(0, f.ReadScatter(new Memory<byte>[] { a }, 1 << 20));
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void DirectGatherWriteWithAlignedBuffers()
        {
            string path = TestSupport.NewPath("file-direct");
            try
            {
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | SgioOpenFlags.Direct);
                SgioAlignment al = f.Alignment;
                Assert.True(al.Memory >= 1 && al.Offset >= 512, $"{al}");
                int page = SgioLibrary.PageSize;
                using var w = new SgioAlignedBuffer(8 * page);
                using var r = new SgioAlignedBuffer(8 * page);
                Pattern(8 * page, page, 6).CopyTo(w.GetSpan());
                // Eight one-page slices, written in reverse memory order.
                var src = Enumerable.Range(0, 8).Reverse().Select(i => (ReadOnlyMemory<byte>)w.Memory.Slice(i * page, page)).ToList();
                Assert.Equal(8L * page, f.WriteGather(src, page));
                f.Flush();
                var dst = Enumerable.Range(0, 8).Select(i => r.Memory.Slice(i * page, page)).ToList();
                Assert.Equal(8L * page, f.ReadScatter(dst, page));
                for (int i = 0; i < 8; i++)
                    Assert.True(r.Memory.Slice(i * page, page).Span.SequenceEqual(w.Memory.Slice((7 - i) * page, page).Span), $"page {i}");
                f.SetLength(3L * page);
                Assert.Equal(3L * page, f.Length);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void MisalignedDirectWriteIsEalignAndWritesNothing()
        {
            string path = TestSupport.NewPath("file-ealign");
            try
            {
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | SgioOpenFlags.Direct);
                using var w = new SgioAlignedBuffer(2 * SgioLibrary.PageSize);
                var e = Assert.Throws<SgioException>(() => f.WriteGather(new ReadOnlyMemory<byte>[] { w.Memory.Slice(1, 4096) }, 0));
                Assert.Equal(SgioStatus.SGIO_EALIGN, e.Code);
                Assert.Equal(0, e.BytesTransferred);
                Assert.StartsWith("SGIO_EALIGN", e.Message);
                Assert.Equal(0, f.Length);
                e = Assert.Throws<SgioException>(() => f.WriteGather(new ReadOnlyMemory<byte>[] { w.Memory.Slice(0, 4096) }, 100));
                Assert.Equal(SgioStatus.SGIO_EALIGN, e.Code);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void OpenErrorsAreSgioExceptionsAndIOExceptions()
        {
            string missing = TestSupport.NewPath("file-missing");
            IOException io = Assert.ThrowsAny<IOException>(() => SgioFile.Open(missing, SgioOpenFlags.Read));
            var e = Assert.IsType<SgioException>(io);
            Assert.Equal(SgioStatus.SGIO_ENOENT, e.Code);
            Assert.Contains(Path.GetFileName(missing), e.Message); // the library's message names the path
            string dir = Path.GetDirectoryName(missing)!;
            Assert.Equal(SgioStatus.SGIO_EISDIR, Assert.Throws<SgioException>(() => SgioFile.Open(dir, SgioOpenFlags.Read)).Code);
            Assert.Equal(SgioStatus.SGIO_EINVAL, Assert.Throws<SgioException>(() => SgioFile.Open(missing, SgioOpenFlags.Create)).Code);
            string path = TestSupport.NewPath("file-exists");
            try
            {
                SgioFile.Open(path, SgioOpenFlags.Write | SgioOpenFlags.Create).Dispose();
                Assert.Equal(SgioStatus.SGIO_EEXIST, Assert.Throws<SgioException>(
                    () => SgioFile.Open(path, SgioOpenFlags.Write | SgioOpenFlags.Create | SgioOpenFlags.Exclusive)).Code);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void WrongAccessIsEacces()
        {
            string path = TestSupport.NewPath("file-access");
            try
            {
                File.WriteAllBytes(path, new byte[16]);
                using var r = SgioFile.Open(path, SgioOpenFlags.Read);
                Assert.Equal(SgioStatus.SGIO_EACCES, Assert.Throws<SgioException>(
                    () => r.WriteGather(new ReadOnlyMemory<byte>[] { new byte[4] }, 0)).Code);
                using var w = SgioFile.Open(path, SgioOpenFlags.Write);
                Assert.Equal(SgioStatus.SGIO_EACCES, Assert.Throws<SgioException>(
                    () => w.ReadScatter(new Memory<byte>[] { new byte[4] }, 0)).Code);
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void EmptyListsAndEmptyBuffersTransferNothing()
        {
            string path = TestSupport.NewPath("file-empty");
            try
            {
                using var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create);
                Assert.Equal(0, f.WriteGather(Array.Empty<ReadOnlyMemory<byte>>(), 0));
                Assert.Equal(0, f.WriteGather(new ReadOnlyMemory<byte>[] { ReadOnlyMemory<byte>.Empty }, 0));
                Assert.Equal(0, f.Length);
                Assert.Throws<ArgumentOutOfRangeException>(() => f.WriteGather(new ReadOnlyMemory<byte>[] { new byte[1] }, -1));
                Assert.Throws<ArgumentNullException>(() => f.WriteGather(null!, 0));
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }

        [Fact]
        public void EverythingThrowsObjectDisposedAfterDispose()
        {
            string path = TestSupport.NewPath("file-disposed");
            try
            {
                var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create);
                SgioFileHandle h = f.Handle;
                f.Dispose();
                f.Dispose(); // idempotent
                Assert.True(f.IsClosed);
                Assert.Throws<ObjectDisposedException>(() => f.WriteGather(new ReadOnlyMemory<byte>[] { new byte[1] }, 0));
                Assert.Throws<ObjectDisposedException>(() => f.ReadScatter(new Memory<byte>[] { new byte[1] }, 0));
                Assert.Throws<ObjectDisposedException>(() => f.Length);
                Assert.Throws<ObjectDisposedException>(() => f.Flush());
                Assert.Throws<ObjectDisposedException>(() => f.Alignment);
                Assert.Throws<ObjectDisposedException>(() => { _ = f.WriteGatherAsync(new ReadOnlyMemory<byte>[] { new byte[1] }, 0); });
                // The raw binding too: the marshaller refuses a closed SafeHandle.
                Assert.Throws<ObjectDisposedException>(() => SgioNative.sgio_file_flush(h));
            }
            finally
            {
                TestSupport.TryDelete(path);
            }
        }
    }
}
