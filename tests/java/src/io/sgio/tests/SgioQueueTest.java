// SPDX-License-Identifier: Apache-2.0
package io.sgio.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sgio.SgioException;
import io.sgio.SgioFile;
import io.sgio.SgioFile.Option;
import io.sgio.SgioNative;
import io.sgio.SgioQueue;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SgioQueue: asynchronous gathers/scatters as CompletableFutures (every wait bounded). */
class SgioQueueTest {
  static final long WAIT_S = 60;
  @TempDir Path dir;

  static byte[] pattern(int n, int seed) {
    return SgioFileTest.pattern(n, seed);
  }

  static ByteBuffer aligned(byte[] content, int align) {
    ByteBuffer b = SgioFile.allocateAligned(content.length, align);
    b.put(content).flip();
    return b;
  }

  @Test
  void manyGathersInFlightThenScattersRoundTrip() throws Exception {
    int requests = 64, unit = 4096;
    try (SgioFile f = SgioFile.open(dir.resolve("q.bin"), Option.READ, Option.WRITE, Option.CREATE, Option.DIRECT);
         SgioQueue q = SgioQueue.create(16, (int) SgioNative.SGIO_BACKEND_AUTO)) {
      int backend = q.backend();
      assertTrue(backend == SgioNative.SGIO_BACKEND_URING || backend == SgioNative.SGIO_BACKEND_POOL
          || backend == SgioNative.SGIO_BACKEND_SYNC, "backend " + backend);
      String forced = System.getenv("SGIO_BACKEND");
      if ("pool".equals(forced)) assertEquals(SgioNative.SGIO_BACKEND_POOL, backend);

      List<ByteBuffer[]> writes = new ArrayList<>();
      List<CompletableFuture<Long>> done = new ArrayList<>();
      for (int r = 0; r < requests; r++) { // more than the depth: submit waits for room
        ByteBuffer[] bufs = {aligned(pattern(unit, r), unit), aligned(pattern(2 * unit, r + 1000), unit)};
        writes.add(bufs);
        done.add(q.writeGather(f, bufs, (long) r * 3 * unit));
      }
      for (int r = 0; r < requests; r++) {
        assertEquals(3L * unit, done.get(r).get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(0, writes.get(r)[0].remaining(), "positions advance before the future completes");
        assertEquals(0, writes.get(r)[1].remaining());
      }
      assertEquals(0, q.inFlight());
      assertEquals((long) requests * 3 * unit, f.size());

      List<ByteBuffer> reads = new ArrayList<>();
      done.clear();
      for (int r = 0; r < requests; r++) {
        ByteBuffer b = SgioFile.allocateAligned(3 * unit, unit);
        reads.add(b);
        done.add(q.readScatter(f, new ByteBuffer[] {b}, (long) r * 3 * unit));
      }
      CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(WAIT_S, TimeUnit.SECONDS);
      for (int r = 0; r < requests; r++) {
        assertEquals(3L * unit, done.get(r).get());
        byte[] got = new byte[3 * unit];
        reads.get(r).flip().get(got);
        assertArrayEquals(SgioFileTest.concat(pattern(unit, r), pattern(2 * unit, r + 1000)), got, "request " + r);
      }
    }
  }

  @Test
  void bufferedReadAtEndOfFileIsShort() throws Exception {
    try (SgioFile f = SgioFile.open(dir.resolve("eof.bin"), Option.READ, Option.WRITE, Option.CREATE);
         SgioQueue q = SgioQueue.create()) {
      f.writeGather(new ByteBuffer[] {SgioFileTest.direct(pattern(100, 1))}, 0);
      ByteBuffer a = ByteBuffer.allocateDirect(64), b = ByteBuffer.allocateDirect(64);
      assertEquals(100L, q.readScatter(f, new ByteBuffer[] {a, b}, 0).get(WAIT_S, TimeUnit.SECONDS));
      assertEquals(64, a.position());
      assertEquals(36, b.position());
      assertEquals(0L, q.readScatter(f, new ByteBuffer[] {ByteBuffer.allocateDirect(8)}, 500).get(WAIT_S, TimeUnit.SECONDS));
      assertEquals(0L, q.writeGather(f, new ByteBuffer[0], 0).get(WAIT_S, TimeUnit.SECONDS));
    }
  }

  @Test
  void invalidRequestsFailAtSubmit() throws Exception {
    try (SgioFile f = SgioFile.open(dir.resolve("bad.bin"), Option.READ, Option.WRITE, Option.CREATE, Option.DIRECT);
         SgioFile ro = SgioFile.open(dir.resolve("bad.bin"), Option.READ);
         SgioQueue q = SgioQueue.create(4, (int) SgioNative.SGIO_BACKEND_AUTO)) {
      SgioException e = assertThrows(SgioException.class,
          () -> q.writeGather(f, new ByteBuffer[] {SgioFile.allocateAligned(4096, 4096)}, 1));
      assertEquals(SgioNative.SGIO_EALIGN, e.code());
      e = assertThrows(SgioException.class,
          () -> q.writeGather(ro, new ByteBuffer[] {SgioFileTest.direct(new byte[8])}, 0));
      assertEquals(SgioNative.SGIO_EACCES, e.code());
      assertThrows(IllegalArgumentException.class, () -> q.writeGather(f, new ByteBuffer[] {ByteBuffer.allocate(8)}, 0));
      assertThrows(IllegalArgumentException.class,
          () -> q.writeGather(f, new ByteBuffer[] {SgioFile.allocateAligned(4096, 4096)}, -4096));
      assertEquals(0, q.inFlight());
      // A rejected submit gives its slot back: the depth (4) is still fully usable.
      List<CompletableFuture<Long>> ok = new ArrayList<>();
      for (int i = 0; i < 8; i++)
        ok.add(q.writeGather(f, new ByteBuffer[] {SgioFile.allocateAligned(4096, 4096)}, 4096L * i));
      for (CompletableFuture<Long> d : ok) assertEquals(4096L, d.get(WAIT_S, TimeUnit.SECONDS));
    }
  }

  @Test
  void manyThreadsShareOneQueue() throws Exception {
    int threads = 4, perThread = 40, unit = 4096;
    try (SgioFile f = SgioFile.open(dir.resolve("mt.bin"), Option.READ, Option.WRITE, Option.CREATE, Option.DIRECT);
         SgioQueue q = SgioQueue.create(8, (int) SgioNative.SGIO_BACKEND_AUTO)) {
      List<Thread> workers = new ArrayList<>();
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < threads; t++) {
        final int id = t;
        Thread w = new Thread(() -> {
          try {
            List<CompletableFuture<Long>> mine = new ArrayList<>();
            for (int r = 0; r < perThread; r++) {
              int slot = r * threads + id;
              mine.add(q.writeGather(f, new ByteBuffer[] {aligned(pattern(unit, slot), unit)}, (long) slot * unit));
            }
            for (CompletableFuture<Long> d : mine) assertEquals(unit, d.get(WAIT_S, TimeUnit.SECONDS));
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        workers.add(w);
        w.start();
      }
      for (Thread w : workers) w.join(TimeUnit.SECONDS.toMillis(WAIT_S));
      assertTrue(errors.isEmpty(), errors.toString());
      for (int slot = 0; slot < threads * perThread; slot++) {
        ByteBuffer got = SgioFile.allocateAligned(unit, unit);
        assertEquals(unit, f.readScatter(new ByteBuffer[] {got}, (long) slot * unit));
        byte[] g = new byte[unit];
        got.flip().get(g);
        assertArrayEquals(pattern(unit, slot), g, "slot " + slot);
      }
      assertThrows(java.nio.ReadOnlyBufferException.class,
          () -> q.readScatter(f, new ByteBuffer[] {ByteBuffer.allocateDirect(8).asReadOnlyBuffer()}, 0));
    }
  }

  @Test
  void closeSettlesEveryFutureAndLaterSubmitsThrow() throws Exception {
    SgioFile f = SgioFile.open(dir.resolve("close.bin"), Option.READ, Option.WRITE, Option.CREATE, Option.DIRECT);
    SgioQueue q = SgioQueue.create(32, (int) SgioNative.SGIO_BACKEND_AUTO);
    List<CompletableFuture<Long>> all = new ArrayList<>();
    for (int i = 0; i < 32; i++)
      all.add(q.writeGather(f, new ByteBuffer[] {SgioFile.allocateAligned(1 << 20, 4096)}, (long) i << 20));
    q.close();
    for (CompletableFuture<Long> d : all) {
      assertTrue(d.isDone(), "close() leaves no future pending");
      try {
        assertEquals(1L << 20, d.get());
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        assertTrue(c instanceof AsynchronousCloseException
            || (c instanceof SgioException && ((SgioException) c).code() == SgioNative.SGIO_ECANCELED), c.toString());
      }
    }
    assertEquals(0, q.inFlight());
    assertDoesNotThrow(q::close);
    assertThrows(ClosedChannelException.class,
        () -> q.writeGather(f, new ByteBuffer[] {SgioFile.allocateAligned(4096, 4096)}, 0));
    assertThrows(ClosedChannelException.class, q::backend);
    f.close();
    try (SgioQueue q2 = SgioQueue.create()) {
      assertThrows(ClosedChannelException.class,
          () -> q2.writeGather(f, new ByteBuffer[] {SgioFile.allocateAligned(4096, 4096)}, 0));
    }
  }

  static Set<String> queueThreadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName).filter(n -> n.startsWith("sgio-queue-")).collect(Collectors.toSet());
  }

  // The /proc/self/task directory of the thread with this name (Linux keeps 15 characters of it).
  static Path task(String name) throws Exception {
    String comm = name.length() > 15 ? name.substring(0, 15) : name;
    try (Stream<Path> tasks = Files.list(Paths.get("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          if (Files.readString(t.resolve("comm")).trim().equals(comm)) return t;
        } catch (java.io.IOException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return null;
  }

  static long voluntarySwitches(Path task) throws Exception {
    for (String line : Files.readAllLines(task.resolve("status")))
      if (line.startsWith("voluntary_ctxt_switches:")) return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
    throw new AssertionError("no voluntary_ctxt_switches in " + task);
  }

  @Test
  void idleCompletionThreadSleepsInTheLibraryUntilWorkOrClose() throws Exception {
    Set<String> before = queueThreadNames();
    SgioFile f = SgioFile.open(dir.resolve("idle.bin"), Option.READ, Option.WRITE, Option.CREATE);
    SgioQueue q = SgioQueue.create(4, (int) SgioNative.SGIO_BACKEND_AUTO);
    Set<String> mine = queueThreadNames();
    mine.removeAll(before);
    assertEquals(1, mine.size(), "one completion thread per queue");
    Path task = task(mine.iterator().next());
    assertTrue(task != null, "the completion thread is visible in /proc/self/task");
    assertEquals(8L, q.writeGather(f, new ByteBuffer[] {ByteBuffer.allocateDirect(8)}, 0).get(WAIT_S, TimeUnit.SECONDS));

    // Idle for 1.5 s: a thread waiting in time slices wakes several times a second; one blocked in
    // sgio_queue_wait(UINT32_MAX) does not wake at all.
    Thread.sleep(100);
    long start = voluntarySwitches(task);
    Thread.sleep(1500);
    long wakes = voluntarySwitches(task) - start;
    assertTrue(wakes <= 2, "the idle completion thread woke " + wakes + " times in 1.5 s");

    assertEquals(8L, q.writeGather(f, new ByteBuffer[] {ByteBuffer.allocateDirect(8)}, 8).get(WAIT_S, TimeUnit.SECONDS));
    CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> assertDoesNotThrow(q::close));
    closing.get(WAIT_S, TimeUnit.SECONDS); // close() wakes the blocked wait and returns
    assertTrue(queueThreadNames().stream().noneMatch(mine::contains), "the completion thread ended");
    assertEquals(16L, f.size());
    f.close();
  }

  @Test
  void closeFromADependentStageOnTheCompletionThreadDoesNotDeadlock() throws Exception {
    SgioFile f = SgioFile.open(dir.resolve("stage-close.bin"), Option.READ, Option.WRITE, Option.CREATE);
    SgioQueue q = SgioQueue.create(4, (int) SgioNative.SGIO_BACKEND_AUTO);
    CompletableFuture<String> closedOn = new CompletableFuture<>();
    // A stage without an executor runs on the completion thread when the write completes.
    q.writeGather(f, new ByteBuffer[] {ByteBuffer.allocateDirect(8)}, 0).thenRun(() -> {
      try {
        q.close();
        closedOn.complete(Thread.currentThread().getName());
      } catch (Throwable t) {
        closedOn.completeExceptionally(t);
      }
    });
    String thread = closedOn.get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(thread.startsWith("sgio-queue-") || thread.equals(Thread.currentThread().getName()), thread);
    assertThrows(ClosedChannelException.class,
        () -> q.writeGather(f, new ByteBuffer[] {ByteBuffer.allocateDirect(8)}, 8));
    assertEquals(8L, f.size());
    f.close();
  }

  /** The backends that finish a buffered write inside the submit call: io_uring (up to 1 MiB) and SYNC. */
  static boolean finishesInline(int backend) {
    return backend == SgioNative.SGIO_BACKEND_URING || backend == SgioNative.SGIO_BACKEND_SYNC;
  }

  @Test
  void bufferedWriteIsCompleteWithItsBytesWhenSubmitReturns() throws Exception {
    for (long backend : new long[] {SgioNative.SGIO_BACKEND_AUTO, SgioNative.SGIO_BACKEND_SYNC}) {
      try (SgioFile f = SgioFile.open(dir.resolve("inline-" + backend + ".bin"), Option.READ, Option.WRITE, Option.CREATE);
           SgioQueue q = SgioQueue.create(4, (int) backend)) {
        boolean inline = finishesInline(q.backend());
        for (int r = 0; r < 40; r++) { // more than the depth: completed requests give their slots back
          ByteBuffer a = SgioFileTest.direct(pattern(4096, r)), b = SgioFileTest.direct(pattern(100, r + 500));
          CompletableFuture<Long> done = q.writeGather(f, new ByteBuffer[] {a, b}, 10L + r * 4196L);
          if (inline) {
            assertTrue(done.isDone(), "backend " + q.backend() + ": request " + r + " complete when submit returns");
            assertEquals(4196L, done.getNow(-1L));
            assertEquals(0, a.remaining() + b.remaining(), "positions advanced before submit returns");
            assertEquals(0, q.inFlight());
            // The data is in the file (this thread's own read, no waiting).
            ByteBuffer got = ByteBuffer.allocateDirect(4196);
            assertEquals(4196L, f.readScatter(new ByteBuffer[] {got}, 10L + r * 4196L));
            byte[] g = new byte[4196];
            got.flip().get(g);
            assertArrayEquals(SgioFileTest.concat(pattern(4096, r), pattern(100, r + 500)), g, "request " + r);
            // A stage added to the completed future runs at once, on this thread.
            String[] ranOn = new String[1];
            done.thenRun(() -> ranOn[0] = Thread.currentThread().getName());
            assertEquals(Thread.currentThread().getName(), ranOn[0]);
          } else {
            assertEquals(4196L, done.get(WAIT_S, TimeUnit.SECONDS));
          }
        }
        assertEquals(10L + 40 * 4196L, f.size());
      }
    }
  }

  @Test
  void failureOfARequestFinishedInsideSubmitIsAnSgioException() throws Exception {
    long page = io.sgio.Win32.PageSize();
    // Reserved, never committed: the kernel cannot read it, so the write fails when it runs.
    long noAccess = io.sgio.Win32.VirtualAlloc(0, page, io.sgio.Win32.MEM_RESERVE, io.sgio.Win32.PAGE_NOACCESS);
    assertTrue(noAccess != 0, "VirtualAlloc(MEM_RESERVE)");
    try {
      for (long backend : new long[] {SgioNative.SGIO_BACKEND_AUTO, SgioNative.SGIO_BACKEND_SYNC}) {
        try (SgioFile f = SgioFile.open(dir.resolve("fault-" + backend + ".bin"), Option.READ, Option.WRITE, Option.CREATE);
             SgioQueue q = SgioQueue.create(4, (int) backend)) {
          ByteBuffer bad = io.sgio.Win32.NewDirectByteBuffer(noAccess, page);
          CompletableFuture<Long> done = q.writeGather(f, new ByteBuffer[] {bad}, 0);
          if (finishesInline(q.backend())) assertTrue(done.isDone(), "failed inside submit, complete when it returns");
          ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(WAIT_S, TimeUnit.SECONDS));
          assertTrue(e.getCause() instanceof SgioException, e.getCause().toString());
          assertEquals(SgioNative.SGIO_EFAULT, ((SgioException) e.getCause()).code());
          assertEquals(0, ((SgioException) e.getCause()).bytesTransferred());
          assertEquals(page, bad.remaining(), "a failed write leaves the position");
          assertEquals(0, q.inFlight());
          // The queue goes on working, and its slot was given back.
          for (int i = 0; i < 8; i++)
            assertEquals(8L, q.writeGather(f, new ByteBuffer[] {ByteBuffer.allocateDirect(8)}, 8L * i).get(WAIT_S, TimeUnit.SECONDS));
        }
      }
    } finally {
      io.sgio.Win32.VirtualFree(noAccess, 0, io.sgio.Win32.MEM_RELEASE);
    }
  }

  @Test
  void closeWaitsForDirectWritesInFlightAndFailsNothingThatFinished() throws Exception {
    // Direct writes stay on the ring (never inside submit): close() must still settle every future.
    SgioFile f = SgioFile.open(dir.resolve("close-direct.bin"), Option.READ, Option.WRITE, Option.CREATE, Option.DIRECT);
    SgioQueue q = SgioQueue.create(8, (int) SgioNative.SGIO_BACKEND_AUTO);
    List<CompletableFuture<Long>> all = new ArrayList<>();
    List<ByteBuffer> bufs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ByteBuffer b = aligned(pattern(1 << 16, i), 4096);
      bufs.add(b);
      all.add(q.writeGather(f, new ByteBuffer[] {b}, (long) i << 16));
    }
    q.close();
    assertEquals(0, q.inFlight());
    for (int i = 0; i < 8; i++) {
      CompletableFuture<Long> d = all.get(i);
      assertTrue(d.isDone(), "close() leaves no future pending");
      if (!d.isCompletedExceptionally()) {
        assertEquals(1L << 16, d.get());
        assertEquals(0, bufs.get(i).remaining(), "a completed write advanced its buffer");
      }
    }
    f.close();
  }
}
