// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asynchronous gather writes and scatter reads through sgio's native queue (io_uring, or worker
 * threads where io_uring is unavailable), as {@link CompletableFuture}s.
 *
 * <p>Each request runs against an open {@link SgioFile} with direct buffers, with the same buffer
 * rules as SgioFile's synchronous calls; the future completes with the bytes transferred (reads:
 * less at end of file), and the buffers' positions are advanced before it completes. A failure
 * completes it exceptionally with an {@link SgioException} (SGIO_E* code; bytesTransferred() the
 * prefix that moved). Until then the buffers belong to the library: do not touch them. The queue
 * keeps them (and the segment array it builds) reachable meanwhile.
 *
 * <p>At most {@code depth} requests are in flight; a submit beyond that waits for a completion.
 * A request that the library finishes inside the submit call (a buffered write of up to 1 MiB on
 * the io_uring backend, which the calling thread writes itself; every request on the SYNC
 * backend) is completed by the submitting thread: its future is already complete, with the
 * positions advanced, when writeGather/readScatter returns. A submit may also complete one other
 * request whose completion was already waiting. Every other request is completed by the queue's
 * one thread ("sgio-queue-N", a daemon): it blocks in the library (sgio_queue_wait with no
 * timeout, never a polling slice) and wakes only for completions or for close(), which frees the
 * queue (the library then returns SGIO_EBADHANDLE to the blocked wait). Dependent stages without
 * an executor run on whichever of these threads completes the future (or on the thread that adds
 * them to a future already complete), so keep them short or use the *Async variants.
 *
 * <p>{@link #close()} cancels what is still in flight and lets the completion thread complete
 * those futures with their real outcome (done, or SgioException SGIO_ECANCELED), then frees the
 * queue, which waits until the library has let go of every buffer; any future still unfinished
 * after 5 s fails with {@link AsynchronousCloseException}.
 * Submitting to a closed queue throws {@link ClosedChannelException}. A queue must be closed: its
 * completion thread keeps it reachable.
 */
public final class SgioQueue implements AutoCloseable {
  private static final int COMPLETION_SIZE = 24;
  private static final int BATCH = 64;
  /** sgio_jni_queue_submit's scratch: the 48-byte request @0, completion count @48, accepted @52, completions @64. */
  private static final int SUBMIT_COUNTS = 48;
  private static final int SUBMIT_COMPLETIONS = 64;
  /**
   * Completions a submit takes back at most: its own when it finished inside the call (a buffered
   * write on io_uring, every request on SYNC), else one that was already waiting. One keeps the
   * work done on the submitting thread bounded; the completion thread collects the rest.
   */
  private static final int SUBMIT_PEEK = 1;
  private static final long WAIT_FOREVER = 0xFFFFFFFFL; // sgio_queue_wait: UINT32_MAX, no timeout
  private static final long DRAIN_NANOS = 5_000_000_000L; // close(): how long to collect cancelled requests
  private static final AtomicLong THREADS = new AtomicLong();
  private static final ThreadLocal<Scratch> SUBMIT_SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** A submitting thread's request and completion memory (direct, with its address). */
  private static final class Scratch {
    final ByteBuffer buffer = ByteBuffer.allocateDirect(SUBMIT_COMPLETIONS + SUBMIT_PEEK * COMPLETION_SIZE)
        .order(ByteOrder.nativeOrder());
    final long address = SgioNative.bufferAddress(buffer);
  }

  /**
   * One request slot (the queue has depth of them; the request's user_data is the slot's index):
   * what a request in flight needs kept alive and how to finish it. The segment array is the
   * slot's own direct buffer, reused by its next request, so a request allocates no native memory.
   */
  private static final class Slot {
    final int index;
    ByteBuffer segments; // allocated at first use
    long segmentsAddress;
    // Set while a request owns the slot; guarded by the queue's slot lock.
    CompletableFuture<Long> future;
    ByteBuffer[] buffers;
    SgioFile file;
    boolean read;
    Slot nextFree; // guarded by slotLock

    Slot(int index) {
      this.index = index;
    }

    /** The segment buffer, grown to hold {@code count} segments. */
    ByteBuffer segments(int count) {
      long need = (long) count * BufferAddresses.SEGMENT_SIZE;
      if (segments == null || segments.capacity() < need) {
        if (need > Integer.MAX_VALUE) throw new IllegalArgumentException("too many buffers: " + count);
        segments = ByteBuffer.allocateDirect((int) need).order(ByteOrder.nativeOrder());
        segmentsAddress = SgioNative.bufferAddress(segments);
      }
      return segments;
    }
  }

  /** A finished request's fields, taken out of its slot. */
  private static final class Taken {
    CompletableFuture<Long> future;
    ByteBuffer[] buffers;
    SgioFile file;
    boolean read;
  }

  private final long queue;
  private final int depth;
  private final Semaphore permits;
  private final Slot[] slots;
  private final Object slotLock = new Object();
  private Slot free; // guarded by slotLock: the free slots, linked by nextFree
  private volatile int inFlight; // written under slotLock
  private final Thread completer;
  private volatile boolean closed;
  private final Object closeLock = new Object();
  // Notified when close() has begun and the last pending request has been completed.
  private final Object drained = new Object();

  private SgioQueue(long queue, int depth) {
    this.queue = queue;
    this.depth = depth;
    this.permits = new Semaphore(depth);
    this.slots = new Slot[depth];
    for (int i = depth - 1; i >= 0; i--) {
      slots[i] = new Slot(i);
      slots[i].nextFree = free;
      free = slots[i];
    }
    this.completer = new Thread(this::completions, "sgio-queue-" + THREADS.incrementAndGet());
    this.completer.setDaemon(true);
    this.completer.start();
  }

  /**
   * A queue with depth 256 on the best backend (io_uring when the kernel allows it).
   *
   * @return the new queue; close it when done
   * @throws IOException (SgioException) if the library cannot create a queue
   */
  public static SgioQueue create() throws IOException {
    return create(256, (int) SgioNative.SGIO_BACKEND_AUTO);
  }

  /**
   * A queue with the given depth and backend.
   *
   * @param depth    requests in flight at most (1..the library's maximum)
   * @param backend  SgioNative.SGIO_BACKEND_AUTO, _URING, _POOL or _SYNC
   * @return the new queue; close it when done
   * @throws IOException SgioException SGIO_ENOTSUP if a forced backend is unavailable, SGIO_EINVAL
   *                     for a bad depth or backend
   */
  public static SgioQueue create(int depth, int backend) throws IOException {
    if (depth <= 0) throw new IllegalArgumentException("depth must be > 0");
    SgioQueueOptions opts = new SgioQueueOptions();
    try {
      int rc = SgioNative.sgio_queue_options_init(opts, SgioNative.SGIO_QUEUE_OPTIONS_VERSION);
      if (rc != 0) throw SgioException.of(rc, "sgio_queue_options_init", 0);
      opts.setDepth(depth);
      opts.setBackend(backend & 0xFFFFFFFFL);
      long[] out = new long[1];
      rc = SgioNative.sgio_queue_create(out, opts);
      if (rc != 0) throw SgioException.of(rc, "sgio_queue_create", 0);
      return new SgioQueue(out[0], depth);
    } finally {
      opts.delete();
    }
  }

  /**
   * The backend in use.
   *
   * @return SgioNative.SGIO_BACKEND_URING, _POOL or _SYNC
   * @throws IOException ClosedChannelException once closed
   */
  public int backend() throws IOException {
    long[] out = new long[1];
    int rc = SgioNative.sgio_queue_backend(handle(), out);
    if (rc != 0) throw SgioException.of(rc, "sgio_queue_backend", 0);
    return (int) out[0];
  }

  /**
   * The depth this queue was created with.
   *
   * @return requests in flight at most
   */
  public int depth() {
    return depth;
  }

  /**
   * Requests submitted and not yet completed.
   *
   * @return their number
   */
  public int inFlight() {
    return inFlight;
  }

  /**
   * Writes the buffers' remaining bytes, in order, at {@code offset} of {@code file}.
   *
   * @param file    an open file
   * @param buffers direct buffers; each contributes position..limit
   * @param offset  file offset of the first byte
   * @return completes with the bytes written, or exceptionally with SgioException
   * @throws IOException ClosedChannelException if this queue or the file is closed
   */
  public CompletableFuture<Long> writeGather(SgioFile file, ByteBuffer[] buffers, long offset) throws IOException {
    return submit(file, buffers, offset, false);
  }

  /**
   * Reads from {@code offset} of {@code file} into the buffers' remaining space, in order.
   *
   * @param file    an open file
   * @param buffers direct, writable buffers; each receives up to position..limit
   * @param offset  file offset of the first byte
   * @return completes with the bytes read (less at end of file), or exceptionally with SgioException
   * @throws IOException ClosedChannelException if this queue or the file is closed
   */
  public CompletableFuture<Long> readScatter(SgioFile file, ByteBuffer[] buffers, long offset) throws IOException {
    return submit(file, buffers, offset, true);
  }

  private long handle() throws ClosedChannelException {
    if (closed) throw new ClosedChannelException();
    return queue;
  }

  private CompletableFuture<Long> submit(SgioFile file, ByteBuffer[] buffers, long offset, boolean read)
      throws IOException {
    if (file == null) throw new NullPointerException("file");
    if (buffers == null) throw new NullPointerException("buffers");
    if (offset < 0) throw new IllegalArgumentException("negative file offset " + offset);
    buffers = buffers.clone(); // the caller may reuse its array; the buffers themselves are shared
    BufferAddresses a = BufferAddresses.get();
    a.check(buffers, read); // null, direct, read-only
    long fileHandle = file.nativeHandle();
    handle();
    CompletableFuture<Long> future = new CompletableFuture<>();
    Slot slot = take(future, buffers, file, read);
    int count;
    try {
      count = a.write(buffers, slot.segments(buffers.length), 0);
    } catch (RuntimeException | Error e) {
      release(slot);
      throw e;
    }
    if (count == 0) {
      release(slot);
      return CompletableFuture.completedFuture(0L);
    }
    Scratch scratch = SUBMIT_SCRATCH.get();
    ByteBuffer req = scratch.buffer;
    req.putLong(0, fileHandle)
        .putLong(8, slot.segmentsAddress)
        .putInt(16, count)
        .putInt(20, read ? SGIO_OP_READ : SGIO_OP_WRITE)
        .putLong(24, offset)
        .putLong(32, slot.index)
        .putLong(40, 0);
    int rc;
    synchronized (closeLock) { // no submission may slip in between close() and sgio_queue_free
      if (closed) {
        release(slot);
        throw new ClosedChannelException();
      }
      rc = SgioNative.queueSubmit(queue, scratch.address, SUBMIT_PEEK);
    }
    int accepted = req.getInt(SUBMIT_COUNTS + 4);
    // Copied out before any finish(): a dependent stage may submit from this thread and reuse req.
    int ready = req.getInt(SUBMIT_COUNTS);
    long tag = 0, bytes = 0;
    int status = 0;
    if (ready > 0) {
      tag = req.getLong(SUBMIT_COMPLETIONS);
      bytes = req.getLong(SUBMIT_COMPLETIONS + 8);
      status = req.getInt(SUBMIT_COMPLETIONS + 16);
    }
    if (rc != 0 || accepted != 1) release(slot);
    if (ready > 0) finish(tag, bytes, status); // this request's own completion first, when it is there
    if (rc != 0 || accepted != 1)
      throw SgioException.of(rc != 0 ? rc : SgioNative.SGIO_EINTERNAL, operation(file, read), 0);
    return future;
  }

  private static final int SGIO_OP_READ = (int) SgioNative.SGIO_OP_READ_SCATTER;
  private static final int SGIO_OP_WRITE = (int) SgioNative.SGIO_OP_WRITE_GATHER;

  private static String operation(SgioFile file, boolean read) {
    return (read ? "read " : "write ") + file.path();
  }

  /** Waits for a free slot and gives it to a request. */
  private Slot take(CompletableFuture<Long> future, ByteBuffer[] buffers, SgioFile file, boolean read) {
    permits.acquireUninterruptibly();
    synchronized (slotLock) {
      Slot s = free;
      free = s.nextFree;
      s.nextFree = null;
      s.future = future;
      s.buffers = buffers;
      s.file = file;
      s.read = read;
      inFlight++;
      return s;
    }
  }

  /**
   * Frees the slot of tag's request and returns it with the request's fields (the slot itself is
   * free again), or null when no request owns it (already finished, or never submitted).
   */
  private Taken untake(long tag) {
    if (tag < 0 || tag >= slots.length) return null;
    Slot s = slots[(int) tag];
    Taken out = new Taken();
    synchronized (slotLock) {
      if (s.future == null) return null;
      out.future = s.future;
      out.buffers = s.buffers;
      out.file = s.file;
      out.read = s.read;
      s.future = null;
      s.buffers = null;
      s.file = null;
      s.nextFree = free;
      free = s;
      inFlight--;
    }
    permits.release();
    if (closed && inFlight == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
    return out;
  }

  /** Gives back a slot whose request was not submitted (its future stays incomplete). */
  private void release(Slot slot) {
    untake(slot.index);
  }

  // Blocks in the library until completions arrive; close() ends the loop by freeing the queue,
  // which wakes this wait with SGIO_EBADHANDLE.
  private void completions() {
    ByteBuffer out = ByteBuffer.allocateDirect(BATCH * COMPLETION_SIZE).order(ByteOrder.nativeOrder());
    long address = SgioNative.bufferAddress(out);
    while (true) {
      int n = SgioNative.queueWait(queue, address, BATCH, 1, WAIT_FOREVER);
      if (n < 0) break; // the queue is gone (close() freed it)
      for (int i = 0; i < n; i++) {
        int at = i * COMPLETION_SIZE;
        finish(out.getLong(at), out.getLong(at + 8), out.getInt(at + 16));
      }
    }
    Reference.reachabilityFence(out);
  }

  private void finish(long tag, long bytes, int status) {
    Taken p = untake(tag);
    if (p == null) return;
    if (status == 0) {
      SgioFile.advance(p.buffers, bytes);
      p.future.complete(bytes);
    } else {
      String name = SgioNative.sgio_error_name(status);
      p.future.completeExceptionally(new SgioException(status, name,
          operation(p.file, p.read) + ": " + name + ": " + SgioNative.sgio_strerror(status), bytes));
    }
  }

  /**
   * Cancels what is in flight, lets the completion thread collect those requests' outcomes (for
   * at most 5 s), frees the queue (which waits until the library has released every buffer and
   * wakes the completion thread), and fails the futures still unfinished with
   * AsynchronousCloseException. Idempotent.
   */
  @Override
  public void close() throws IOException {
    synchronized (closeLock) {
      if (closed) return;
      closed = true;
    }
    boolean interrupted = false;
    // close() from a dependent stage runs on the completion thread, which cannot wait for itself.
    boolean onCompleter = Thread.currentThread() == completer;
    for (Slot s : slots) {
      boolean busy;
      synchronized (slotLock) {
        busy = s.future != null;
      }
      if (busy) SgioNative.sgio_queue_cancel(queue, s.index, null);
    }
    // The completion thread completes the cancelled requests; finish() notifies when none is left.
    long deadline = System.nanoTime() + (onCompleter ? 0 : DRAIN_NANOS);
    synchronized (drained) {
      long left;
      while (inFlight != 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          drained.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    int rc = SgioNative.sgio_queue_free(queue); // cancels the rest, waits for the kernel, wakes the waiter
    while (!onCompleter && completer.isAlive()) {
      try {
        completer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    for (Slot s : slots) {
      Taken p = untake(s.index);
      if (p != null) p.future.completeExceptionally(new AsynchronousCloseException());
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (rc != 0) throw SgioException.of(rc, "sgio_queue_free", 0);
  }
}
