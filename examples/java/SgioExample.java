// SPDX-License-Identifier: Apache-2.0
import static io.sgio.Win32.*;

import io.sgio.OVERLAPPED;
import io.sgio.SYSTEM_INFO;
import io.sgio.SgioException;
import io.sgio.SgioFile;
import io.sgio.SgioNative;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * sgio from Java, both faces:
 *  1. SgioFile (native face): direct (O_DIRECT) gather writes of 16 x 64 KiB buffers, then scatter
 *     reads into 4 x 256 KiB buffers, verified;
 *  2. the Win32 shape, as ported Windows code writes it: VirtualAlloc'd pages, WriteFileGather /
 *     ReadFileScatter with OVERLAPPED on a FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING handle,
 *     four requests in flight, GetOverlappedResultEx, GetLastError().
 *
 * usage: java -jar sgio-example.jar [directory] [MiB]   (defaults: current directory, 64)
 */
public final class SgioExample {
  static final int SEGMENTS = 16;
  static final int SEGMENT = 64 << 10;
  static final int GATHER = SEGMENTS * SEGMENT; // 1 MiB per call
  // MB/s: the native face times the I/O calls only; the Win32 face is end to end (filling and
  // checking the pages overlaps with the requests in flight, as a real pipeline would).

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args.length > 0 ? args[0] : ".");
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    System.out.println("sgio " + SgioNative.sgio_version_string() + ", " + mib + " MiB per face, files in "
        + dir.toAbsolutePath().normalize());
    Path a = Files.createTempFile(dir, "sgio-example-native-", ".bin");
    Path b = Files.createTempFile(dir, "sgio-example-win32-", ".bin");
    try {
      nativeFace(a, mib);
      win32Face(b, mib);
      System.out.println("verified: every byte read back matches what was written");
    } finally {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    }
  }

  static double mbps(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  /** Byte i of gather g: changes with g so a misplaced gather is caught. */
  static byte expected(long g, long i) {
    return (byte) (i * 131 + g * 7 + (i >>> 9));
  }

  static void nativeFace(Path path, int mib) throws Exception {
    SgioFile f;
    boolean direct = true;
    try {
      f = SgioFile.open(path, SgioFile.Option.READ, SgioFile.Option.WRITE, SgioFile.Option.TRUNCATE,
          SgioFile.Option.DIRECT);
    } catch (SgioException e) {
      if (e.code() != SgioNative.SGIO_ENOTSUP) throw e;
      direct = false; // a file system without O_DIRECT (tmpfs): buffered
      f = SgioFile.open(path, SgioFile.Option.READ, SgioFile.Option.WRITE, SgioFile.Option.TRUNCATE);
    }
    try (SgioFile file = f) {
      int align = Math.max(4096, file.alignment().memory());
      ByteBuffer[] out = new ByteBuffer[SEGMENTS];
      for (int s = 0; s < SEGMENTS; s++) out[s] = SgioFile.allocateAligned(SEGMENT, align);

      long tw = 0; // time in writeGather only, not in filling the buffers
      for (long g = 0; g < mib; g++) {
        for (int s = 0; s < SEGMENTS; s++) {
          ByteBuffer buf = out[s].clear();
          for (int i = 0; i < SEGMENT; i++) buf.put(i, expected(g, (long) s * SEGMENT + i));
        }
        long t0 = System.nanoTime();
        if (file.writeGather(out, g * GATHER) != GATHER) throw new AssertionError("short gather");
        tw += System.nanoTime() - t0;
      }
      ByteBuffer[] in = new ByteBuffer[4];
      for (int i = 0; i < in.length; i++) in[i] = SgioFile.allocateAligned(GATHER / 4, align);
      long tr = 0;
      for (long g = 0; g < mib; g++) {
        for (ByteBuffer r : in) r.clear();
        long t1 = System.nanoTime();
        if (file.readScatter(in, g * GATHER) != GATHER) throw new AssertionError("short scatter");
        tr += System.nanoTime() - t1;
        for (int q = 0; q < in.length; q++) {
          for (int i = 0; i < GATHER / 4; i += 509) {
            if (in[q].get(i) != expected(g, (long) q * (GATHER / 4) + i))
              throw new AssertionError("mismatch in gather " + g + " at byte " + ((long) q * (GATHER / 4) + i));
          }
        }
      }
      long total = (long) mib * GATHER;
      System.out.printf("native face (SgioFile, %s): wrote %d bytes in %d gathers of %d x %d KiB: %.1f MB/s%n",
          direct ? "O_DIRECT, alignment " + file.alignment().memory() : "buffered", total, mib, SEGMENTS,
          SEGMENT >> 10, mbps(total, tw));
      System.out.printf("native face (SgioFile): read %d bytes in %d scatters into 4 x %d KiB: %.1f MB/s%n", total,
          mib, GATHER / 4 >> 10, mbps(total, tr));
    }
  }

  static void win32Face(Path path, int mib) {
    SYSTEM_INFO si = new SYSTEM_INFO();
    GetSystemInfo(si);
    int page = (int) si.getDwPageSize();
    int pagesPerCall = GATHER / page;
    int depth = 4;

    long h = CreateFileW(path.toString(), GENERIC_READ | GENERIC_WRITE, 0, 0, CREATE_ALWAYS,
        FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, 0);
    if (h == INVALID_HANDLE_VALUE) throw new IllegalStateException("CreateFileW failed: " + GetLastError());
    long mem = VirtualAlloc(0, (long) depth * GATHER, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (mem == 0) throw new IllegalStateException("VirtualAlloc failed: " + GetLastError());
    ByteBuffer all = NewDirectByteBuffer(mem, (long) depth * GATHER);
    OVERLAPPED[] ov = new OVERLAPPED[depth];
    ByteBuffer[][] pages = new ByteBuffer[depth][pagesPerCall];
    for (int d = 0; d < depth; d++) {
      ov[d] = new OVERLAPPED();
      for (int p = 0; p < pagesPerCall; p++) {
        int at = d * GATHER + p * page;
        pages[d][p] = all.duplicate().position(at).limit(at + page).slice();
      }
    }
    try {
      long[] n = new long[1];
      long t0 = System.nanoTime();
      for (long g = 0; g < mib; g++) {
        int d = (int) (g % depth);
        if (g >= depth) finish(h, ov[d], n); // wait for the request that used this slot
        for (int i = 0; i < GATHER; i++) all.put(d * GATHER + i, expected(g, i));
        ov[d].setFileOffset(g * GATHER);
        if (!WriteFileGather(h, pages[d], GATHER, 0, ov[d]) && GetLastError() != ERROR_IO_PENDING)
          throw new IllegalStateException("WriteFileGather failed: " + GetLastError());
      }
      for (long g = Math.max(0, mib - depth); g < mib; g++) finish(h, ov[(int) (g % depth)], n);
      long tw = System.nanoTime() - t0;

      long t1 = System.nanoTime();
      for (long g = 0; g < mib; g++) {
        int d = (int) (g % depth);
        if (g >= depth) verify(h, ov[d], n, all, d, g - depth); // the read that used this slot
        ov[d].setFileOffset(g * GATHER);
        if (!ReadFileScatter(h, pages[d], GATHER, 0, ov[d]) && GetLastError() != ERROR_IO_PENDING)
          throw new IllegalStateException("ReadFileScatter failed: " + GetLastError());
      }
      for (long g = Math.max(0, mib - depth); g < mib; g++) verify(h, ov[(int) (g % depth)], n, all, (int) (g % depth), g);
      long tr = System.nanoTime() - t1;
      long[] size = new long[1];
      GetFileSizeEx(h, size);
      long total = (long) mib * GATHER;
      System.out.printf("Win32 face (WriteFileGather, %d pages of %d bytes per call, %d in flight): wrote %d bytes: %.1f MB/s%n",
          pagesPerCall, page, depth, size[0], mbps(total, tw));
      System.out.printf("Win32 face (ReadFileScatter): read %d bytes: %.1f MB/s%n", total, mbps(total, tr));
    } finally {
      CloseHandle(h); // waits for anything still in flight
      for (OVERLAPPED o : ov) o.delete();
      VirtualFree(mem, 0, MEM_RELEASE);
    }
  }

  /** Waits for the read of call g into slot d and checks its bytes. */
  static void verify(long h, OVERLAPPED ov, long[] n, ByteBuffer all, int d, long g) {
    finish(h, ov, n);
    for (int i = 0; i < GATHER; i += 509) {
      if (all.get(d * GATHER + i) != expected(g, i))
        throw new AssertionError("Win32 read mismatch in call " + g + " at byte " + i);
    }
  }

  /** Waits for one overlapped request (bounded) and checks it moved a whole call's bytes. */
  static void finish(long h, OVERLAPPED ov, long[] n) {
    if (!GetOverlappedResultEx(h, ov, n, 60_000, false))
      throw new IllegalStateException("request failed: GetLastError() = " + GetLastError());
    if (n[0] != GATHER) throw new IllegalStateException("short transfer: " + n[0]);
  }
}
