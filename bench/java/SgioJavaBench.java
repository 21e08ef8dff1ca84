// SPDX-License-Identifier: Apache-2.0
import com.sun.nio.file.ExtendedOpenOption;
import io.sgio.SgioFile;
import io.sgio.SgioNative;
import io.sgio.SgioQueue;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SgioFile.writeGather vs FileChannel's gathering write (position + write(ByteBuffer[]), looped
 * until everything is written) on the same direct buffers, side by side in one run.
 *
 * Method: per case, after warm-up passes (at least one each, 2000 calls and 1.5 s each), the two variants run in pairs for PASSES passes,
 * the order flipping every pass (AB, BA, ...), so drift and background load hit both alike.
 * The file is created and prefilled once (MiB bytes, written sequentially and fsync'd), and every
 * write pass overwrites it sequentially from offset 0 in gathers of the case's shape, so no pass
 * allocates blocks (a pass that truncated first would measure ext4's block allocator, which
 * serialises direct writes, instead of the I/O path). Every pass is preceded and followed by an
 * untimed fsync, so both start from the same page-cache state. Scatter reads
 * (SgioFile.readScatter vs FileChannel.read(ByteBuffer[])) of the file just written are measured
 * the same way (buffered reads come from the page cache). Buffers: page-aligned direct ByteBuffers.
 * The last rows put SgioQueue (asynchronous, QD requests in flight, one future each) against the
 * same FileChannel gathering write, buffered and direct: Java has no asynchronous gathering write
 * to compare with (AsynchronousFileChannel takes one buffer and runs it on a thread pool).
 * Reported per case: median MB/s (1e6 bytes/s, wall clock) of each variant, the median of the
 * per-pair ratios SgioFile / FileChannel, and the process CPU time per MiB (user + system of every
 * thread, the library's and the JVM's included: ThreadMXBean for the calling thread, schedstat for
 * the others) of
 * each; "CPU ratio" is FileChannel's CPU per MiB over sgio's, i.e. sgio's MB per CPU-second
 * relative to FileChannel's (>= 1.0 means sgio does more per CPU-second).
 *
 * usage: java -jar sgio-bench-java.jar [directory] [MiB per pass] [passes]   (defaults: ., 128, 9)
 */
public final class SgioJavaBench {
  interface Pass {
    void run(ByteBuffer[] bufs, long total) throws IOException;
  }

  static final class Case {
    final String name;
    final int segments;
    final int segment;
    final boolean direct;

    Case(String name, int segments, int segment, boolean direct) {
      this.name = name;
      this.segments = segments;
      this.segment = segment;
      this.direct = direct;
    }
  }

  static long mib;
  static int passes;

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args.length > 0 ? args[0] : ".");
    mib = args.length > 1 ? Long.parseLong(args[1]) : 128;
    passes = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    System.out.printf("sgio %s, Java %s, %d MiB per pass, %d timed pass pairs (medians), files in %s%n",
        SgioNative.sgio_version_string(), System.getProperty("java.version"), mib, passes,
        dir.toAbsolutePath().normalize());
    List<Case> cases = List.of(
        new Case("buffered write 16 x 4 KiB", 16, 4096, false),
        new Case("buffered write 256 x 4 KiB", 256, 4096, false),
        new Case("buffered write 64 x 512 B", 64, 512, false),
        new Case("direct write 16 x 4 KiB", 16, 4096, true),
        new Case("direct write 256 x 4 KiB", 256, 4096, true));
    System.out.printf("%-46s %10s %12s %8s %11s %11s %8s%n", "", "sgio", "FileChannel", "wall", "sgio",
        "FileChannel", "CPU");
    System.out.printf("%-46s %10s %12s %8s %11s %11s %8s%n", "case", "MB/s", "MB/s", "ratio", "CPU us/MiB",
        "CPU us/MiB", "ratio");
    Path file = Files.createTempFile(dir, "sgio-bench-java-", ".bin");
    try {
      prefill(file, mib << 20);
      for (Case c : cases) runCase(file, c);
      runAsync(file, new Case("buffered write 16 x 4 KiB", 16, 4096, false), 32);
      runAsync(file, new Case("direct write 16 x 4 KiB", 16, 4096, true), 32);
      runAsync(file, new Case("direct write 256 x 4 KiB", 256, 4096, true), 8);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Writes the whole file once, sequentially, and syncs it: later passes only overwrite. */
  static void prefill(Path file, long bytes) throws IOException {
    ByteBuffer chunk = SgioFile.allocateAligned(1 << 20, 4096);
    for (int j = 0; j < chunk.capacity(); j++) chunk.put(j, (byte) j);
    try (FileChannel fc = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
      for (long off = 0; off < bytes; off += chunk.capacity()) {
        chunk.clear();
        while (chunk.hasRemaining()) fc.write(chunk, off + chunk.position());
      }
      fc.force(true);
    }
  }

  static SgioFile.Option[] sgioOptions(Case c) {
    return c.direct
        ? new SgioFile.Option[] {SgioFile.Option.READ, SgioFile.Option.WRITE, SgioFile.Option.DIRECT}
        : new SgioFile.Option[] {SgioFile.Option.READ, SgioFile.Option.WRITE};
  }

  static OpenOption[] channelOptions(Case c) {
    List<OpenOption> o = new ArrayList<>(List.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
    if (c.direct) o.add(ExtendedOpenOption.DIRECT);
    return o.toArray(new OpenOption[0]);
  }

  static ByteBuffer[] buffers(Case c) {
    ByteBuffer[] b = new ByteBuffer[c.segments];
    for (int i = 0; i < b.length; i++) {
      b[i] = SgioFile.allocateAligned(c.segment, 4096);
      for (int j = 0; j < c.segment; j++) b[i].put(j, (byte) (i * 31 + j));
    }
    return b;
  }

  static void reset(ByteBuffer[] bufs) {
    for (ByteBuffer b : bufs) b.clear();
  }

  static void runCase(Path file, Case c) throws IOException {
    ByteBuffer[] bufs = buffers(c);
    long gather = (long) c.segments * c.segment;
    long total = mib << 20;
    long calls = total / gather;

    try (SgioFile sf = SgioFile.open(file, sgioOptions(c));
         FileChannel fc = FileChannel.open(file, channelOptions(c))) {
      Pass sgioWrite = (b, t) -> {
        for (long i = 0; i < calls; i++) {
          reset(b);
          sf.writeGather(b, i * gather);
        }
      };
      Pass channelWrite = (b, t) -> {
        for (long i = 0; i < calls; i++) {
          reset(b);
          fc.position(i * gather);
          long left = gather;
          while (left > 0) left -= fc.write(b);
        }
      };
      Pass sgioRead = (b, t) -> {
        for (long i = 0; i < calls; i++) {
          reset(b);
          if (sf.readScatter(b, i * gather) != gather) throw new IOException("short read");
        }
      };
      Pass channelRead = (b, t) -> {
        for (long i = 0; i < calls; i++) {
          reset(b);
          fc.position(i * gather);
          long left = gather;
          while (left > 0) {
            long n = fc.read(b);
            if (n <= 0) throw new IOException("short read");
            left -= n;
          }
        }
      };
      double[][] w = measure(fc, bufs, total, gather, sgioWrite, channelWrite);
      print(c.name, w);
      double[][] r = measure(fc, bufs, total, gather, sgioRead, channelRead);
      print(c.name.replace("write", "read"), r);
    }
  }

  /** SgioQueue with depth requests in flight vs FileChannel, over depth buffer sets. */
  static void runAsync(Path file, Case c, int depth) throws IOException {
    ByteBuffer[][] sets = new ByteBuffer[depth][];
    for (int d = 0; d < depth; d++) sets[d] = buffers(c);
    long gather = (long) c.segments * c.segment;
    long total = mib << 20;
    long calls = total / gather;
    try (SgioFile sf = SgioFile.open(file, sgioOptions(c));
         SgioQueue q = SgioQueue.create(depth, (int) SgioNative.SGIO_BACKEND_AUTO);
         FileChannel fc = FileChannel.open(file, channelOptions(c))) {
      Pass queued = (b, t) -> {
        List<CompletableFuture<Long>> inFlight = new ArrayList<>();
        for (int d = 0; d < depth; d++) inFlight.add(null);
        for (long i = 0; i < calls; i++) {
          int d = (int) (i % depth);
          if (inFlight.get(d) != null) await(inFlight.get(d), gather);
          reset(sets[d]);
          inFlight.set(d, q.writeGather(sf, sets[d], i * gather));
        }
        for (CompletableFuture<Long> f : inFlight) if (f != null) await(f, gather);
      };
      Pass channel = (b, t) -> {
        for (long i = 0; i < calls; i++) {
          ByteBuffer[] set = sets[(int) (i % depth)];
          reset(set);
          fc.position(i * gather);
          long left = gather;
          while (left > 0) left -= fc.write(set);
        }
      };
      String backend = q.backend() == SgioNative.SGIO_BACKEND_URING ? "uring" : "pool";
      print("SgioQueue " + c.name + " QD" + depth + " " + backend, measure(fc, sets[0], total, gather, queued, channel));
    }
  }

  static void await(CompletableFuture<Long> f, long expect) throws IOException {
    try {
      long n = f.get(60, TimeUnit.SECONDS);
      if (n != expect) throw new IOException("short write " + n);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IOException(e);
    }
  }

  /**
   * CPU time of every thread of the process in ns: this thread's from ThreadMXBean (exact), every
   * other thread's (the library's native threads included) from /proc/self/task/<tid>/schedstat,
   * which is current to the last tick or switch of that thread. getProcessCpuTime() counts in
   * 10 ms clock ticks, too coarse for passes that use 20-50 ms of CPU. Threads that end during a
   * pass lose their time; the benchmark's threads (queue completion and engine threads) live
   * across it.
   */
  static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();

  static long processCpuNanos() throws IOException {
    long sum = THREAD_CPU.getCurrentThreadCpuTime();
    Path self = Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName(); // <pid>/task/<tid>
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
      for (Path t : tasks) {
        if (t.getFileName().equals(self)) continue;
        try {
          String line = Files.readString(t.resolve("schedstat"));
          sum += Long.parseLong(line.substring(0, line.indexOf(' ')));
        } catch (IOException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return sum;
  }

  /**
   * Calls each variant makes, at least, before the timed passes: both reach compiled code (C2)
   * first. One 64 MiB pass of 256 x 4 KiB gathers is only 64 calls, so a single warm-up pass left
   * the compilation of the call path (and its CPU time on the compiler threads, which the process
   * CPU counts) inside the timed passes, for whichever variant was compiled last.
   */
  static final long WARMUP_CALLS = 2000;
  /**
   * And at least this long per variant: on a loaded machine the compiler threads run late (C2 took
   * 13 % of all samples of a perf record of the whole run with the call count alone), and until
   * the call path is compiled it runs slower and its compilation lands in the timed passes.
   */
  static final long WARMUP_NANOS = 1_500_000_000L;

  /**
   * Runs a and b in pairs, after warm-up passes ({@link #WARMUP_CALLS} calls of {@code gather}
   * bytes, and {@link #WARMUP_NANOS} of each variant); returns {MB/s of a, MB/s of b, CPU us/MiB of a, CPU us/MiB of b} per timed pass.
   */
  static double[][] measure(FileChannel fc, ByteBuffer[] bufs, long total, long gather, Pass a, Pass b)
      throws IOException {
    double[][] m = new double[4][passes];
    Pass[] ab = {a, b};
    int warmups = (int) Math.max(1, (WARMUP_CALLS * gather + total - 1) / total);
    long[] warm = new long[2]; // warm-up time of each variant
    for (int p = -warmups; p < passes; p++) { // p < 0: warm-up
      if (p == -1 && Math.min(warm[0], warm[1]) < WARMUP_NANOS) p = -2; // one more warm-up pair
      for (int k = 0; k < 2; k++) {
        int v = (p & 1) == 0 ? k : 1 - k;
        fc.force(false);
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        ab[v].run(bufs, total);
        long dt = System.nanoTime() - t0;
        long dc = processCpuNanos() - c0;
        fc.force(false);
        if (p < 0) warm[v] += dt;
        if (p >= 0) {
          m[v][p] = total / 1e6 / (dt / 1e9);
          m[2 + v][p] = dc / 1e3 / (total / (double) (1 << 20));
        }
      }
    }
    return m;
  }

  static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static void print(String name, double[][] m) {
    double[] ratio = new double[passes];
    for (int p = 0; p < passes; p++) ratio[p] = m[0][p] / m[1][p];
    double ca = median(m[2]), cb = median(m[3]);
    System.out.printf("%-46s %10.1f %12.1f %7.2fx %11.0f %11.0f %7.2fx%n", name, median(m[0]), median(m[1]),
        median(ratio), ca, cb, cb / ca);
  }
}
