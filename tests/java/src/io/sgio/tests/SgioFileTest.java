// SPDX-License-Identifier: Apache-2.0
package io.sgio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sgio.SgioException;
import io.sgio.SgioFile;
import io.sgio.SgioFile.Option;
import io.sgio.SgioNative;
import io.sgio.Version;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The idiomatic native-face API: SgioFile over direct ByteBuffers (and heap ones on buffered files). */
class SgioFileTest {
  @TempDir Path dir;

  static ByteBuffer direct(byte[] content) {
    ByteBuffer b = ByteBuffer.allocateDirect(content.length);
    b.put(content).flip();
    return b;
  }

  static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed * 7 + (i >>> 8));
    return b;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  @Test
  void jarAndNativeLibraryVersionsAgree() {
    assertEquals(Version.jarVersion(), SgioNative.sgio_version_string());
    long[] major = new long[1];
    long v = SgioNative.sgio_version(major, null, null);
    assertEquals(SgioNative.SGIO_VERSION_NUMBER, v);
    assertEquals(SgioNative.SGIO_VERSION_MAJOR, major[0]);
  }

  @Test
  void bufferedGatherWriteThenScatterReadRoundTrips() throws IOException {
    byte[] a = pattern(1000, 1), b = pattern(5, 2), c = pattern(70000, 3);
    Path p = dir.resolve("buffered.bin");
    ByteBuffer ba = direct(a), bb = direct(b), bc = direct(c);
    try (SgioFile f = SgioFile.open(p, Option.READ, Option.WRITE, Option.CREATE)) {
      assertEquals(a.length + b.length + c.length, f.writeGather(new ByteBuffer[] {ba, bb, bc}, 100));
      // Positions advance past what was written, like GatheringByteChannel.
      assertEquals(0, ba.remaining());
      assertEquals(0, bb.remaining());
      assertEquals(0, bc.remaining());
      assertEquals(100 + a.length + b.length + c.length, f.size());

      ByteBuffer r1 = ByteBuffer.allocateDirect(3333), r2 = ByteBuffer.allocateDirect(67672);
      assertEquals(r1.capacity() + r2.capacity(), f.readScatter(new ByteBuffer[] {r1, r2}, 100));
      assertEquals(r1.capacity(), r1.position());
      assertEquals(r2.capacity(), r2.position());
      byte[] got = new byte[r1.capacity() + r2.capacity()];
      r1.flip().get(got, 0, r1.capacity());
      r2.flip().get(got, r1.capacity(), r2.capacity());
      assertArrayEquals(concat(a, b, c), got);
    }
    // What a plain Java reader sees: the 100-byte hole is zeros.
    byte[] onDisk = Files.readAllBytes(p);
    assertArrayEquals(new byte[100], Arrays.copyOf(onDisk, 100));
    assertArrayEquals(concat(a, b, c), Arrays.copyOfRange(onDisk, 100, onDisk.length));
  }

  @Test
  void onlyPositionToLimitIsTransferredAndEmptyBuffersAreSkipped() throws IOException {
    byte[] a = pattern(64, 5);
    ByteBuffer ba = direct(a);
    ba.position(10).limit(50); // bytes 10..49
    ByteBuffer empty = ByteBuffer.allocateDirect(16).limit(0);
    try (SgioFile f = SgioFile.open(dir.resolve("window.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      assertEquals(40, f.writeGather(new ByteBuffer[] {empty, ba, empty}, 0));
      assertEquals(50, ba.position());
      assertEquals(0, f.writeGather(new ByteBuffer[] {empty}, 0));
      assertEquals(0, f.writeGather(new ByteBuffer[0], 0));

      ByteBuffer r = ByteBuffer.allocateDirect(64);
      r.position(4).limit(44);
      assertEquals(40, f.readScatter(new ByteBuffer[] {empty, r}, 0));
      assertEquals(44, r.position());
      byte[] got = new byte[40];
      r.position(4);
      r.get(got);
      assertArrayEquals(Arrays.copyOfRange(a, 10, 50), got);
    }
  }

  @Test
  void reusedReorderedAndResizedBuffersKeepTheirOwnAddresses() throws IOException {
    // SgioFile remembers buffer addresses between calls; a buffer moved to another slot, a new
    // slice, or a changed position must still write its own bytes.
    ByteBuffer a = direct(pattern(4096, 1)), b = direct(pattern(4096, 2)), c = direct(pattern(4096, 3));
    try (SgioFile f = SgioFile.open(dir.resolve("reuse.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      for (int round = 0; round < 3; round++) {
        a.clear();
        b.clear();
        c.clear();
        f.writeGather(new ByteBuffer[] {a, b, c}, 0);
        a.clear();
        b.clear();
        c.clear();
        f.writeGather(new ByteBuffer[] {c, a, b}, 3 * 4096);
        ByteBuffer sliceOfB = b.clear().position(100).limit(200).slice();
        a.clear().position(4000);
        f.writeGather(new ByteBuffer[] {sliceOfB, a}, 6 * 4096);
      }
      ByteBuffer all = ByteBuffer.allocateDirect(6 * 4096 + 196);
      assertEquals(all.capacity(), f.readScatter(new ByteBuffer[] {all}, 0));
      byte[] got = new byte[all.capacity()];
      all.flip().get(got);
      byte[] pa = pattern(4096, 1), pb = pattern(4096, 2), pc = pattern(4096, 3);
      assertArrayEquals(concat(pa, pb, pc, pc, pa, pb, Arrays.copyOfRange(pb, 100, 200), Arrays.copyOfRange(pa, 4000, 4096)),
          got);
    }
  }

  @Test
  void manyBufferSetsInTurnEachWriteTheirOwnBytes() throws IOException {
    // The per-thread address cache holds a few thousand buffers by identity: cycling through more
    // buffers than it holds (evictions), with some replaced by new ones every round, every gather
    // must still write the bytes of the buffers it was given.
    int pool = 3000, per = 8, unit = 64;
    ByteBuffer[] buffers = new ByteBuffer[pool];
    byte[][] content = new byte[pool][];
    java.util.Random random = new java.util.Random(42);
    try (SgioFile f = SgioFile.open(dir.resolve("sets.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < pool; i++) {
          if (buffers[i] == null || random.nextInt(4) == 0) {
            content[i] = pattern(unit, round * pool + i);
            buffers[i] = direct(content[i]);
          }
        }
        int calls = pool / per;
        int[] order = new int[pool];
        for (int i = 0; i < pool; i++) order[i] = (i * 7919 + round) % pool; // 7919 is prime: a permutation
        for (int c = 0; c < calls; c++) {
          ByteBuffer[] set = new ByteBuffer[per];
          for (int k = 0; k < per; k++) set[k] = buffers[order[c * per + k]].clear();
          assertEquals((long) per * unit, f.writeGather(set, (long) c * per * unit));
        }
        ByteBuffer all = ByteBuffer.allocateDirect(pool * unit);
        assertEquals(all.capacity(), f.readScatter(new ByteBuffer[] {all}, 0));
        for (int c = 0; c < calls; c++)
          for (int k = 0; k < per; k++) {
            byte[] got = new byte[unit];
            all.get((c * per + k) * unit, got);
            assertArrayEquals(content[order[c * per + k]], got, "round " + round + " call " + c + " buffer " + k);
          }
      }
    }
  }

  @Test
  void readAtEndOfFileIsShortAndStopsThere() throws IOException {
    try (SgioFile f = SgioFile.open(dir.resolve("eof.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      f.writeGather(new ByteBuffer[] {direct(pattern(100, 9))}, 0);
      ByteBuffer r1 = ByteBuffer.allocateDirect(60), r2 = ByteBuffer.allocateDirect(60);
      assertEquals(100, f.readScatter(new ByteBuffer[] {r1, r2}, 0));
      assertEquals(60, r1.position());
      assertEquals(40, r2.position());
      ByteBuffer r3 = ByteBuffer.allocateDirect(10);
      assertEquals(0, f.readScatter(new ByteBuffer[] {r3}, 100));
      assertEquals(0, f.readScatter(new ByteBuffer[] {r3}, 1 << 30));
      assertEquals(0, r3.position());
    }
  }

  @Test
  void directFileRoundTripsWithAlignedBuffers() throws IOException {
    Path p = dir.resolve("direct.bin");
    try (SgioFile f = SgioFile.open(p, Option.READ, Option.WRITE, Option.CREATE, Option.DIRECT)) {
      SgioFile.Alignment al = f.alignment();
      assertTrue(al.memory() >= 1 && Integer.bitCount(al.memory()) == 1, al.toString());
      assertTrue(al.offset() >= 512 && Integer.bitCount(al.offset()) == 1, al.toString());
      int unit = Math.max(al.memory(), al.offset());
      ByteBuffer[] w = new ByteBuffer[4];
      byte[][] data = new byte[4][];
      for (int i = 0; i < w.length; i++) {
        data[i] = pattern(unit * (i + 1), i);
        w[i] = ByteBuffer.allocateDirect(unit * (i + 1) + al.memory()).alignedSlice(al.memory());
        w[i].limit(unit * (i + 1));
        w[i].put(data[i]).flip();
      }
      assertEquals(10L * unit, f.writeGather(w, 2L * unit));
      ByteBuffer r = SgioFile.allocateAligned(10 * unit, al.memory());
      assertEquals(10L * unit, f.readScatter(new ByteBuffer[] {r}, 2L * unit));
      byte[] got = new byte[10 * unit];
      r.flip().get(got);
      assertArrayEquals(concat(data), got);
      assertEquals(12L * unit, f.size());
    }
  }

  @Test
  void allocateAlignedGivesAlignedAddressesOfTheRequestedSize() {
    for (int size : new int[] {0, 1, 512, 4095, 4096, 4097, 100_000}) {
      for (int align : new int[] {1, 512, 4096, 65536}) {
        ByteBuffer b = SgioFile.allocateAligned(size, align);
        assertEquals(size, b.capacity());
        assertEquals(size, b.remaining());
        assertTrue(b.isDirect());
        assertEquals(0, SgioNative.bufferAddress(b) % align, size + " bytes at alignment " + align);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> SgioFile.allocateAligned(16, 3));
    assertThrows(IllegalArgumentException.class, () -> SgioFile.allocateAligned(-1, 8));
  }

  @Test
  void directFileRefusesMisalignedIoWithAlignCode() throws IOException {
    try (SgioFile f = SgioFile.open(dir.resolve("misaligned.bin"), Option.READ, Option.WRITE, Option.CREATE,
        Option.DIRECT)) {
      int unit = Math.max(f.alignment().memory(), f.alignment().offset());
      ByteBuffer aligned = SgioFile.allocateAligned(unit, unit);
      SgioException e = assertThrows(SgioException.class,
          () -> f.writeGather(new ByteBuffer[] {aligned}, 1));
      assertEquals(SgioNative.SGIO_EALIGN, e.code());
      assertEquals("SGIO_EALIGN", e.codeName());
      assertEquals(0, e.bytesTransferred());
      assertEquals(0, aligned.position(), "positions stay unchanged on failure");
      ByteBuffer shifted = SgioFile.allocateAligned(2 * unit, unit);
      shifted.position(1).limit(1 + unit);
      e = assertThrows(SgioException.class, () -> f.writeGather(new ByteBuffer[] {shifted}, 0));
      assertEquals(SgioNative.SGIO_EALIGN, e.code());
      assertEquals(0, f.size(), "nothing was written");
    }
  }

  @Test
  void heapBuffersRoundTripOnABufferedFileHonouringPositionAndLimit() throws IOException {
    try (SgioFile f = SgioFile.open(dir.resolve("heap.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      byte[] a = pattern(100, 1), b = pattern(3000, 2);
      // Only position..limit counts: bytes 10..90 of a, all of a wrapped slice of b.
      ByteBuffer ha = ByteBuffer.wrap(a).position(10).limit(90);
      ByteBuffer hb = ByteBuffer.wrap(new byte[3100], 50, 3000).slice().put(b).flip();
      assertEquals(3080, f.writeGather(new ByteBuffer[] {ha, hb}, 4));
      assertEquals(90, ha.position(), "heap positions advance like direct ones");
      assertEquals(90, ha.limit());
      assertEquals(3000, hb.position());
      assertArrayEquals(concat(new byte[4], Arrays.copyOfRange(a, 10, 90), b), Files.readAllBytes(dir.resolve("heap.bin")));

      // Read back into heap buffers with offsets of their own; bytes outside position..limit stay.
      byte[] backing = new byte[200];
      Arrays.fill(backing, (byte) 0x5A);
      ByteBuffer r1 = ByteBuffer.wrap(backing).position(20).limit(100);
      ByteBuffer r2 = ByteBuffer.allocate(3000);
      assertEquals(3080, f.readScatter(new ByteBuffer[] {r1, r2}, 4));
      assertEquals(100, r1.position());
      assertEquals(3000, r2.position());
      assertArrayEquals(Arrays.copyOfRange(a, 10, 90), Arrays.copyOfRange(backing, 20, 100));
      assertEquals(0x5A, backing[19]);
      assertEquals(0x5A, backing[100]);
      assertArrayEquals(b, r2.array());

      // At end of file a read is short, and only what was read moves into the heap buffer.
      ByteBuffer tail = ByteBuffer.allocate(64);
      assertEquals(20, f.readScatter(new ByteBuffer[] {tail}, 3064));
      assertEquals(20, tail.position());
      assertArrayEquals(Arrays.copyOfRange(b, 2980, 3000), Arrays.copyOf(tail.array(), 20));
      assertArrayEquals(new byte[44], Arrays.copyOfRange(tail.array(), 20, 64));
    }
  }

  @Test
  void heapAndDirectBuffersMixInOneGatherAndScatter() throws IOException {
    try (SgioFile f = SgioFile.open(dir.resolve("mixed.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      byte[] p1 = pattern(4096, 3), p2 = pattern(10, 4), p3 = pattern(70000, 5), p4 = pattern(1, 6);
      // Larger than the per-thread stand-in (1 MiB) too: that heap buffer gets one of its own.
      byte[] big = pattern((1 << 20) + 17, 7);
      ByteBuffer[] out = {direct(p1), ByteBuffer.wrap(p2), direct(p3), ByteBuffer.wrap(p4).asReadOnlyBuffer(),
                          ByteBuffer.wrap(big)};
      long total = p1.length + p2.length + p3.length + p4.length + big.length;
      assertEquals(total, f.writeGather(out, 0));
      for (ByteBuffer b : out) assertFalse(b.hasRemaining());
      assertArrayEquals(concat(p1, p2, p3, p4, big), Files.readAllBytes(dir.resolve("mixed.bin")));

      ByteBuffer[] in = {ByteBuffer.allocate(10), ByteBuffer.allocateDirect(4096), ByteBuffer.allocate(70001),
                         ByteBuffer.allocateDirect(big.length)};
      assertEquals(total, f.readScatter(in, 0));
      byte[] all = concat(p1, p2, p3, p4, big);
      assertArrayEquals(Arrays.copyOfRange(all, 0, 10), in[0].array());
      byte[] d = new byte[4096];
      in[1].flip().get(d);
      assertArrayEquals(Arrays.copyOfRange(all, 10, 4106), d);
      assertArrayEquals(Arrays.copyOfRange(all, 4106, 74107), in[2].array());
      byte[] rest = new byte[big.length];
      in[3].flip().get(rest);
      assertArrayEquals(Arrays.copyOfRange(all, 74107, all.length), rest);
    }
  }

  @Test
  void heapBuffersOnADirectFileAreRefusedSayingWhy() throws IOException {
    Path p = dir.resolve("direct-heap.bin");
    try (SgioFile f = SgioFile.open(p, Option.READ, Option.WRITE, Option.CREATE, Option.DIRECT)) {
      int unit = Math.max(f.alignment().memory(), f.alignment().offset());
      ByteBuffer heap = ByteBuffer.allocate(unit);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> f.writeGather(new ByteBuffer[] {heap}, 0));
      assertTrue(e.getMessage().contains("heap") && e.getMessage().contains("DIRECT"), e.getMessage());
      // Mixed with a valid aligned direct buffer: still refused, nothing written.
      ByteBuffer aligned = SgioFile.allocateAligned(unit, unit);
      assertThrows(IllegalArgumentException.class, () -> f.writeGather(new ByteBuffer[] {aligned, heap}, 0));
      assertThrows(IllegalArgumentException.class, () -> f.readScatter(new ByteBuffer[] {heap}, 0));
      assertEquals(0, aligned.position());
      assertEquals(0, heap.position());
      assertEquals(0, f.size(), "nothing was written");
    }
  }

  @Test
  void heapBuffersStayRefusedWhereTheLibraryUsesThemInPlace() throws IOException {
    try (SgioFile f = SgioFile.open(dir.resolve("heap.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      ByteBuffer heap = ByteBuffer.wrap(new byte[16]);
      // The generated layer refuses them (the check is in the JNI code), and so does SgioQueue,
      // whose requests outlive the call.
      long[] out = new long[1];
      assertThrows(IllegalArgumentException.class,
          () -> SgioNative.sgio_file_write_gather(f.nativeHandle(), new ByteBuffer[] {heap}, 0, out));
      try (io.sgio.SgioQueue q = io.sgio.SgioQueue.create()) {
        assertThrows(IllegalArgumentException.class, () -> q.writeGather(f, new ByteBuffer[] {heap}, 0));
      }
      assertThrows(NullPointerException.class, () -> f.writeGather(new ByteBuffer[] {null}, 0));
      assertThrows(ReadOnlyBufferException.class,
          () -> f.readScatter(new ByteBuffer[] {ByteBuffer.allocate(4).asReadOnlyBuffer()}, 0));
      assertEquals(0, f.size());
    }
  }

  @Test
  void readOnlyBuffersCannotReceiveData() throws IOException {
    try (SgioFile f = SgioFile.open(dir.resolve("ro.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      f.writeGather(new ByteBuffer[] {direct(pattern(8, 1))}, 0);
      ByteBuffer ro = ByteBuffer.allocateDirect(8).asReadOnlyBuffer();
      assertThrows(ReadOnlyBufferException.class, () -> f.readScatter(new ByteBuffer[] {ro}, 0));
      long[] out = new long[1];
      assertThrows(ReadOnlyBufferException.class,
          () -> SgioNative.sgio_file_read_scatter(f.nativeHandle(), new ByteBuffer[] {ro}, 0, out));
      // ... but may be written from.
      assertEquals(8, f.writeGather(new ByteBuffer[] {direct(pattern(8, 2)).asReadOnlyBuffer()}, 8));
    }
  }

  @Test
  void moreBuffersThanIovMaxRoundTrip() throws IOException {
    int n = 2500; // > IOV_MAX (1024) and > the JNI stack array
    ByteBuffer[] w = new ByteBuffer[n];
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] d = pattern(1 + i % 13, i);
      parts.add(d);
      w[i] = direct(d);
    }
    byte[] all = concat(parts.toArray(new byte[0][]));
    try (SgioFile f = SgioFile.open(dir.resolve("many.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      assertEquals(all.length, f.writeGather(w, 7));
      ByteBuffer[] r = new ByteBuffer[n];
      for (int i = 0; i < n; i++) r[i] = ByteBuffer.allocateDirect(parts.get(i).length);
      assertEquals(all.length, f.readScatter(r, 7));
      for (int i = 0; i < n; i++) {
        byte[] got = new byte[parts.get(i).length];
        r[i].flip().get(got);
        assertArrayEquals(parts.get(i), got, "buffer " + i);
      }
    }
  }

  @Test
  void missingFileThrowsSgioExceptionWithEnoent() {
    Path missing = dir.resolve("no-such-dir").resolve("missing.bin");
    SgioException e = assertThrows(SgioException.class, () -> SgioFile.open(missing, Option.READ));
    assertEquals(SgioNative.SGIO_ENOENT, e.code());
    assertEquals("SGIO_ENOENT", e.codeName());
    assertTrue(e.getMessage().contains("missing.bin"), e.getMessage());
    assertTrue(e instanceof IOException);
  }

  @Test
  void openErrorsCarryTheirCodes() throws IOException {
    Path p = dir.resolve("exists.bin");
    Files.write(p, new byte[] {1, 2, 3});
    SgioException e = assertThrows(SgioException.class,
        () -> SgioFile.open(p, Option.WRITE, Option.CREATE, Option.EXCLUSIVE));
    assertEquals(SgioNative.SGIO_EEXIST, e.code());
    e = assertThrows(SgioException.class, () -> SgioFile.open(dir, Option.READ));
    assertEquals(SgioNative.SGIO_EISDIR, e.code());
    try (SgioFile ro = SgioFile.open(p, Option.READ)) {
      e = assertThrows(SgioException.class, () -> ro.writeGather(new ByteBuffer[] {direct(new byte[4])}, 0));
      assertEquals(SgioNative.SGIO_EACCES, e.code());
    }
    assertThrows(IllegalArgumentException.class, () -> SgioFile.open(p.toString() + "\0x", (int) SgioNative.SGIO_OPEN_READ));
  }

  @Test
  void nonAsciiPathsAreUtf8() throws IOException {
    Path p = dir.resolve("żółw-\uD83D\uDC22.bin"); // includes a character outside the BMP
    try (SgioFile f = SgioFile.open(p, Option.READ, Option.WRITE, Option.CREATE)) {
      f.writeGather(new ByteBuffer[] {direct(pattern(3, 3))}, 0);
    }
    assertTrue(Files.exists(p));
    assertEquals(3, Files.size(p));
  }

  @Test
  void truncateAndFlush() throws IOException {
    try (SgioFile f = SgioFile.open(dir.resolve("t.bin"), Option.READ, Option.WRITE, Option.CREATE, Option.DSYNC)) {
      f.writeGather(new ByteBuffer[] {direct(pattern(4096, 1))}, 0);
      f.flush();
      f.truncate(10);
      assertEquals(10, f.size());
      f.truncate(1 << 20);
      assertEquals(1 << 20, f.size());
      assertThrows(IllegalArgumentException.class, () -> f.truncate(-1));
      assertThrows(IllegalArgumentException.class, () -> f.writeGather(new ByteBuffer[] {direct(new byte[1])}, -5));
    }
  }

  @Test
  void closeTwiceIsHarmlessAndUseAfterCloseThrowsClosedChannelException() throws IOException {
    SgioFile f = SgioFile.open(dir.resolve("closed.bin"), Option.READ, Option.WRITE, Option.CREATE);
    assertTrue(f.isOpen());
    f.close();
    assertFalse(f.isOpen());
    assertDoesNotThrow(f::close);
    ByteBuffer[] one = {direct(new byte[4])};
    assertThrows(ClosedChannelException.class, () -> f.writeGather(one, 0));
    assertThrows(ClosedChannelException.class, () -> f.readScatter(one, 0));
    assertThrows(ClosedChannelException.class, f::size);
    assertThrows(ClosedChannelException.class, f::flush);
    assertThrows(ClosedChannelException.class, f::alignment);
    assertThrows(ClosedChannelException.class, () -> f.truncate(0));
    assertEquals(4, one[0].remaining());
  }

  @Test
  void staleHandleGivesBadHandleNotACrash() throws IOException {
    SgioFile f = SgioFile.open(dir.resolve("stale.bin"), Option.READ, Option.WRITE, Option.CREATE);
    long h = f.nativeHandle();
    f.close();
    long[] out = new long[1];
    assertEquals(SgioNative.SGIO_EBADHANDLE,
        SgioNative.sgio_file_write_gather(h, new ByteBuffer[] {direct(new byte[4])}, 0, out));
    assertEquals(SgioNative.SGIO_EBADHANDLE, SgioNative.sgio_file_size(0x12345678L, out));
    assertEquals(SgioNative.SGIO_EBADHANDLE, SgioNative.sgio_file_close(h));
  }

  @Test
  void concurrentGathersAtDisjointOffsets() throws Exception {
    int threads = 4, rounds = 50, chunk = 4096;
    try (SgioFile f = SgioFile.open(dir.resolve("mt.bin"), Option.READ, Option.WRITE, Option.CREATE)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          final int id = t;
          done.add(pool.submit(() -> {
            for (int r = 0; r < rounds; r++) {
              long off = ((long) r * threads + id) * chunk;
              ByteBuffer a = direct(pattern(chunk / 2, id * 1000 + r)), b = direct(pattern(chunk / 2, id * 1000 + r + 1));
              assertEquals(chunk, f.writeGather(new ByteBuffer[] {a, b}, off));
            }
            return null;
          }));
        }
        for (Future<?> d : done) d.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      for (int r = 0; r < rounds; r++) {
        for (int id = 0; id < threads; id++) {
          ByteBuffer got = ByteBuffer.allocateDirect(chunk);
          assertEquals(chunk, f.readScatter(new ByteBuffer[] {got}, ((long) r * threads + id) * chunk));
          byte[] g = new byte[chunk];
          got.flip().get(g);
          assertArrayEquals(concat(pattern(chunk / 2, id * 1000 + r), pattern(chunk / 2, id * 1000 + r + 1)), g);
        }
      }
    }
  }
}
