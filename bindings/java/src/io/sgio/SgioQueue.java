// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * One thread per queue ("sgio-queue-N", a daemon) collects completions and completes the futures:
 * it blocks in the library (sgio_queue_wait with no timeout, never a polling slice) and wakes only
 * for completions or for close(), which frees the queue (the library then returns SGIO_EBADHANDLE
 * to the blocked wait). Dependent stages without an executor run on that thread, so keep them
 * short or use the *Async variants.
 *
 * <p>{@link #close()} cancels what is still in flight and lets the completion thread complete
 * those futures with their real outcome (done, or SgioException SGIO_ECANCELED), then frees the
 * queue, which waits until the library has let go of every buffer; any future still unfinished
 * after 5 s fails with {@link AsynchronousCloseException}.
 * Submitting to a closed queue throws {@link ClosedChannelException}. A queue must be closed: its
 * completion thread keeps it reachable.
 */
public final class SgioQueue implements AutoCloseable {
  private static final int REQUEST_SIZE = 48;
  private static final int COMPLETION_SIZE = 24;
  private static final int SEGMENT_SIZE = 16;
  private static final int BATCH = 64;
  private static final long WAIT_FOREVER = 0xFFFFFFFFL; // sgio_queue_wait: UINT32_MAX, no timeout
  private static final long DRAIN_NANOS = 5_000_000_000L; // close(): how long to collect cancelled requests
  private static final AtomicLong THREADS = new AtomicLong();

  /** One request in flight: what it needs kept alive and how to finish it. */
  private static final class Pending {
    final CompletableFuture<Long> future = new CompletableFuture<>();
    final ByteBuffer[] buffers;
    final ByteBuffer segments;
    final String operation;

    Pending(ByteBuffer[] buffers, ByteBuffer segments, String operation) {
      this.buffers = buffers;
      this.segments = segments;
      this.operation = operation;
    }
  }

  private final long queue;
  private final int depth;
  private final Semaphore slots;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextTag = new AtomicLong(1);
  private final Thread completer;
  private final ThreadLocal<ByteBuffer> requestBuffer =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(REQUEST_SIZE).order(ByteOrder.nativeOrder()));
  private volatile boolean closed;
  private final Object closeLock = new Object();
  // Notified when close() has begun and the last pending request has been completed.
  private final Object drained = new Object();

  private SgioQueue(long queue, int depth) {
    this.queue = queue;
    this.depth = depth;
    this.slots = new Semaphore(depth);
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
    return pending.size();
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
    BufferAddresses a = BufferAddresses.of(buffers, read); // checks: null, direct, read-only
    long fileHandle = file.nativeHandle();
    handle();
    if (a.count == 0) return CompletableFuture.completedFuture(0L);
    // The segment array must outlive the call: a direct buffer owned by the request.
    ByteBuffer segments = ByteBuffer.allocateDirect(a.count * SEGMENT_SIZE).order(ByteOrder.nativeOrder());
    segments.asLongBuffer().put(a.pairs, 0, 2 * a.count);
    long count = a.count;

    String operation = (read ? "read " : "write ") + file.path();
    Pending p = new Pending(buffers, segments, operation);
    long tag = nextTag.getAndIncrement();
    slots.acquireUninterruptibly();
    synchronized (closeLock) { // no submission may slip in between close() and sgio_queue_free
      if (closed) {
        slots.release();
        throw new ClosedChannelException();
      }
      pending.put(tag, p);
      ByteBuffer req = requestBuffer.get();
      req.putLong(0, fileHandle)
          .putLong(8, SgioNative.bufferAddress(segments))
          .putInt(16, (int) count)
          .putInt(20, (int) (read ? SgioNative.SGIO_OP_READ_SCATTER : SgioNative.SGIO_OP_WRITE_GATHER))
          .putLong(24, offset)
          .putLong(32, tag)
          .putLong(40, 0);
      long[] accepted = new long[1];
      int rc = SgioNative.sgio_queue_submit(queue, req, 1, accepted);
      if (rc != 0 || accepted[0] != 1) {
        pending.remove(tag);
        slots.release();
        throw SgioException.of(rc != 0 ? rc : SgioNative.SGIO_EINTERNAL, operation, 0);
      }
    }
    return p.future;
  }

  // Blocks in the library until completions arrive; close() ends the loop by freeing the queue,
  // which wakes this wait with SGIO_EBADHANDLE.
  private void completions() {
    ByteBuffer out = ByteBuffer.allocateDirect(BATCH * COMPLETION_SIZE).order(ByteOrder.nativeOrder());
    long[] count = new long[1];
    while (true) {
      int rc = SgioNative.sgio_queue_wait(queue, out, BATCH, 1, WAIT_FOREVER, count);
      if (rc != 0) break; // the queue is gone (close() freed it)
      for (int i = 0; i < count[0]; i++) {
        int at = i * COMPLETION_SIZE;
        finish(out.getLong(at), out.getLong(at + 8), out.getInt(at + 16));
      }
    }
  }

  private void finish(long tag, long bytes, int status) {
    Pending p = pending.remove(tag);
    if (p == null) return;
    slots.release();
    if (closed && pending.isEmpty()) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
    if (status == 0) {
      long left = bytes;
      for (ByteBuffer b : p.buffers) {
        if (left == 0) break;
        int n = (int) Math.min(b.remaining(), left);
        b.position(b.position() + n);
        left -= n;
      }
      p.future.complete(bytes);
    } else {
      String name = SgioNative.sgio_error_name(status);
      p.future.completeExceptionally(new SgioException(status, name,
          p.operation + ": " + name + ": " + SgioNative.sgio_strerror(status), bytes));
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
    for (Long tag : pending.keySet()) SgioNative.sgio_queue_cancel(queue, tag, null);
    // The completion thread completes the cancelled requests; finish() notifies when none is left.
    long deadline = System.nanoTime() + (onCompleter ? 0 : DRAIN_NANOS);
    synchronized (drained) {
      long left;
      while (!pending.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
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
    List<Pending> left = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending p : left) p.future.completeExceptionally(new AsynchronousCloseException());
    if (interrupted) Thread.currentThread().interrupt();
    if (rc != 0) throw SgioException.of(rc, "sgio_queue_free", 0);
  }
}
