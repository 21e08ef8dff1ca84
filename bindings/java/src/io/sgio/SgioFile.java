// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file opened through sgio's native face, with positional gather writes and scatter reads of
 * direct ByteBuffers.
 *
 * <p>Buffers work as with {@link java.nio.channels.GatheringByteChannel}: each contributes the bytes
 * between its position and limit, in array order, and on success the positions advance past what
 * was transferred. Unlike FileChannel, the file offset is an argument (no shared position), a
 * write either writes everything or throws. Direct buffers are read and written in place (zero
 * copy); heap buffers are accepted on buffered files, copied through a per-thread direct buffer
 * as FileChannel does. A {@link Option#DIRECT} file refuses heap buffers with
 * IllegalArgumentException: unbuffered I/O needs aligned memory the library can use in place.
 *
 * <p>{@link Option#DIRECT} opens the file unbuffered (O_DIRECT): then buffer addresses, lengths and
 * offsets must be multiples of {@link #alignment()} ({@link #allocateAligned} makes such buffers),
 * else the call throws SgioException with code SGIO_EALIGN before anything is written.
 *
 * <p>Errors are {@link SgioException}s with the SGIO_E* code. After {@link #close()}, every method
 * except close and isOpen throws {@link ClosedChannelException} (an IOException);
 * close is idempotent. All methods are thread-safe; concurrent gathers at different offsets run in
 * parallel. A file that is never closed is closed when it becomes unreachable.
 */
public final class SgioFile implements AutoCloseable {
  /** Open options; combine any, at least one of READ and WRITE. */
  public enum Option {
    /** Open for reading. */
    READ(SgioNative.SGIO_OPEN_READ),
    /** Open for writing. */
    WRITE(SgioNative.SGIO_OPEN_WRITE),
    /** Create the file if it does not exist. */
    CREATE(SgioNative.SGIO_OPEN_CREATE),
    /** With CREATE: fail with SGIO_EEXIST if it exists. */
    EXCLUSIVE(SgioNative.SGIO_OPEN_EXCLUSIVE),
    /** Truncate to 0 bytes (needs WRITE). */
    TRUNCATE(SgioNative.SGIO_OPEN_TRUNCATE),
    /** Unbuffered I/O (O_DIRECT); see {@link SgioFile#alignment()}. */
    DIRECT(SgioNative.SGIO_OPEN_DIRECT),
    /** Write-through (O_DSYNC): data is durable when a write returns. */
    DSYNC(SgioNative.SGIO_OPEN_DSYNC);

    final int flag;

    Option(long flag) {
      this.flag = (int) flag;
    }
  }

  /** Direct-I/O alignment of an open file: buffer addresses, and offsets/lengths. 1 and 1 when buffered. */
  public static final class Alignment {
    private final int memory;
    private final int offset;

    Alignment(int memory, int offset) {
      this.memory = memory;
      this.offset = offset;
    }

    /**
     * Required alignment of buffer addresses.
     *
     * @return bytes (1 when buffered)
     */
    public int memory() {
      return memory;
    }

    /**
     * Required alignment of file offsets and buffer lengths.
     *
     * @return bytes (1 when buffered)
     */
    public int offset() {
      return offset;
    }

    @Override
    public String toString() {
      return "Alignment[memory=" + memory + ", offset=" + offset + "]";
    }
  }

  private static final Cleaner CLEANER = Cleaner.create();

  /** The handle, 0 once closed; shared with the cleaner, which must not reference the SgioFile. */
  private static final class State implements Runnable {
    final AtomicLong handle;

    State(long handle) {
      this.handle = new AtomicLong(handle);
    }

    @Override
    public void run() { // unreachable without close(): release the handle
      long h = handle.getAndSet(0);
      if (h != 0) SgioNative.sgio_file_close(h);
    }
  }

  private final State state;
  private final Cleaner.Cleanable cleanable;
  private final String path;
  /** Opened with SGIO_OPEN_DIRECT: heap buffers are refused. */
  private final boolean direct;

  private SgioFile(long handle, String path, boolean direct) {
    this.state = new State(handle);
    this.cleanable = CLEANER.register(this, state);
    this.path = path;
    this.direct = direct;
  }

  /**
   * Opens {@code path} with the given options; none means READ and WRITE of an existing file.
   *
   * @param path    the file
   * @param options open options
   * @return the open file; close it when done
   * @throws IOException SgioException with the SGIO_E* code (SGIO_ENOENT, SGIO_EACCES, ...)
   */
  public static SgioFile open(Path path, Option... options) throws IOException {
    int flags = 0;
    for (Option o : options) flags |= o.flag;
    if (flags == 0) flags = Option.READ.flag | Option.WRITE.flag;
    return open(path.toString(), flags, 0);
  }

  /**
   * Opens {@code path} with SGIO_OPEN_* flags and permission bits {@code mode} for a created file.
   *
   * @param path  the file
   * @param flags SgioNative.SGIO_OPEN_* bits
   * @param mode  permission bits of a created file (0: 0644)
   * @return the open file; close it when done
   * @throws IOException SgioException with the SGIO_E* code
   */
  public static SgioFile open(String path, int flags, int mode) throws IOException {
    if (path == null) throw new NullPointerException("path");
    SgioOpenOptions opts = new SgioOpenOptions();
    try {
      int rc = SgioNative.sgio_open_options_init(opts, SgioNative.SGIO_OPEN_OPTIONS_VERSION);
      if (rc != 0) throw SgioException.of(rc, "sgio_open_options_init", 0);
      opts.setFlags(flags & 0xFFFFFFFFL);
      opts.setMode(mode & 0xFFFFFFFFL);
      long[] out = new long[1];
      rc = SgioNative.sgio_file_open(out, path, opts);
      if (rc != 0) throw SgioException.of(rc, "open " + path, 0);
      return new SgioFile(out[0], path, (flags & Option.DIRECT.flag) != 0);
    } finally {
      opts.delete();
    }
  }

  /**
   * Opens {@code path} with SGIO_OPEN_* flags; a created file gets mode 0644.
   *
   * @param path  the file
   * @param flags SgioNative.SGIO_OPEN_* bits
   * @return the open file; close it when done
   * @throws IOException SgioException with the SGIO_E* code
   */
  public static SgioFile open(String path, int flags) throws IOException {
    return open(path, flags, 0);
  }

  /**
   * A direct buffer of {@code size} bytes whose address is a multiple of {@code alignment} (a
   * power of two), for DIRECT files; capacity, limit and remaining are {@code size}. Native byte order
   * is not set (like allocateDirect).
   *
   * @param size      bytes, &gt;= 0
   * @param alignment a power of two, e.g. {@code alignment().memory()}
   * @return the buffer
   */
  public static ByteBuffer allocateAligned(int size, int alignment) {
    if (size < 0) throw new IllegalArgumentException("size < 0");
    if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
      throw new IllegalArgumentException("alignment must be a power of two");
    // alignedSlice keeps [alignUp(start), alignDown(end)): room for size bytes needs the size
    // rounded up to the alignment, plus one alignment of slack for the start.
    long rounded = ((long) size + alignment - 1) / alignment * alignment;
    if (rounded + alignment > Integer.MAX_VALUE) throw new IllegalArgumentException("size + alignment too large");
    ByteBuffer b = ByteBuffer.allocateDirect((int) (rounded + alignment)).alignedSlice(alignment);
    return b.limit(size).slice();
  }

  private long handle() throws ClosedChannelException {
    long h = state.handle.get();
    if (h == 0) throw new ClosedChannelException();
    return h;
  }

  /** Turns a status into an exception, telling a close by another thread from other errors. */
  private IOException failure(int rc, String operation, long transferred) {
    if (rc == SgioNative.SGIO_EBADHANDLE && state.handle.get() == 0) return new AsynchronousCloseException();
    return SgioException.of(rc, operation + " " + path, transferred);
  }

  private static void checkOffset(long offset) {
    if (offset < 0) throw new IllegalArgumentException("negative file offset " + offset);
  }

  /** Moves the buffers' positions past {@code bytes} transferred, in order (SgioQueue's too). */
  static void advance(ByteBuffer[] buffers, long bytes) {
    for (ByteBuffer b : buffers) {
      if (bytes == 0) break;
      int n = (int) Math.min(b.remaining(), bytes);
      b.position(b.position() + n);
      bytes -= n;
    }
  }

  /**
   * Writes the remaining bytes of every buffer, in order, at file offset {@code offset}, and
   * advances the buffers' positions. Writes everything or throws: a SgioException then tells in
   * {@link SgioException#bytesTransferred()} how much reached the file, and positions are unchanged.
   *
   * @param buffers direct buffers, or heap buffers on a buffered file; each contributes position..limit
   * @param offset  file offset of the first byte, &gt;= 0
   * @return the number of bytes written (the sum of the buffers' remaining bytes)
   * @throws IOException SgioException on failure, ClosedChannelException once closed
   */
  public long writeGather(ByteBuffer[] buffers, long offset) throws IOException {
    return transfer(buffers, offset, false);
  }

  /**
   * Reads from file offset {@code offset} into the buffers' remaining space, in order, until all
   * are full or the end of file; advances the positions by what was read.
   *
   * @param buffers writable direct buffers, or heap buffers on a buffered file
   * @param offset  file offset of the first byte, &gt;= 0
   * @return the number of bytes read: less than requested only at end of file, 0 at or past it
   * @throws IOException SgioException on failure, ClosedChannelException once closed
   */
  public long readScatter(ByteBuffer[] buffers, long offset) throws IOException {
    return transfer(buffers, offset, true);
  }

  private long transfer(ByteBuffer[] buffers, long offset, boolean read) throws IOException {
    checkOffset(offset);
    // A private copy: another thread swapping the caller's elements cannot slip past the checks.
    ByteBuffer[] copy = buffers.clone();
    ByteBuffer[] io = HeapBuffers.substitute(copy, read, direct);
    if (io != copy) {
      long done = transferDirect(io, offset, read);
      HeapBuffers.finish(copy, io, read);
      return done;
    }
    return transferDirect(copy, offset, read);
  }

  /** The transfer itself, on direct buffers only; advances their positions. */
  private long transferDirect(ByteBuffer[] copy, long offset, boolean read) throws IOException {
    BufferAddresses segs = BufferAddresses.get();
    ByteBuffer scratch = segs.scratch(copy.length);
    segs.check(copy, read);
    segs.write(copy, scratch, BufferAddresses.SCRATCH_SEGMENTS);
    long h = handle();
    if (segs.total == 0) return 0;
    int rc;
    try {
      rc = SgioNative.transfer(h, segs.scratchAddress(), segs.count, offset, read ? 1 : 0);
    } finally {
      // The native side has only addresses: the buffers (and their memory) must outlive the call.
      Reference.reachabilityFence(copy);
    }
    long done = scratch.getLong(0);
    if (rc != 0) throw failure(rc, read ? "read" : "write", done);
    advance(copy, done);
    return done;
  }

  /**
   * Direct-I/O alignment of this file.
   *
   * @return the alignment (both 1 for a buffered file)
   * @throws IOException ClosedChannelException once closed
   */
  public Alignment alignment() throws IOException {
    long[] memory = new long[1];
    long[] offset = new long[1];
    int rc = SgioNative.sgio_file_alignment(handle(), memory, offset);
    if (rc != 0) throw failure(rc, "alignment", 0);
    return new Alignment((int) memory[0], (int) offset[0]);
  }

  /**
   * Makes written data durable (fdatasync).
   *
   * @throws IOException SgioException (SGIO_EIO) if the system reports a write error
   */
  public void flush() throws IOException {
    int rc = SgioNative.sgio_file_flush(handle());
    if (rc != 0) throw failure(rc, "flush", 0);
  }

  /**
   * The file's current size.
   *
   * @return bytes
   * @throws IOException SgioException, ClosedChannelException once closed
   */
  public long size() throws IOException {
    long[] out = new long[1];
    int rc = SgioNative.sgio_file_size(handle(), out);
    if (rc != 0) throw failure(rc, "size", 0);
    return out[0];
  }

  /**
   * Sets the file's size, extending with zeros or cutting. Needs WRITE.
   *
   * @param size the new size in bytes, &gt;= 0
   * @throws IOException SgioException, ClosedChannelException once closed
   */
  public void truncate(long size) throws IOException {
    if (size < 0) throw new IllegalArgumentException("negative size " + size);
    int rc = SgioNative.sgio_file_truncate(handle(), size);
    if (rc != 0) throw failure(rc, "truncate", 0);
  }

  /**
   * The path this file was opened with.
   *
   * @return the path as given to open
   */
  public String path() {
    return path;
  }

  /**
   * Whether the file is still open.
   *
   * @return false once close() was called
   */
  public boolean isOpen() {
    return state.handle.get() != 0;
  }

  /**
   * The native handle, for SgioQueue and SgioNative calls.
   *
   * @return the sgio_file handle
   * @throws ClosedChannelException once closed
   */
  public long nativeHandle() throws ClosedChannelException {
    return handle();
  }

  /**
   * Closes the file. Idempotent: later calls do nothing. Calls running on other threads finish
   * first. Throws SgioException (SGIO_EIO) if the system reports a deferred write error.
   */
  @Override
  public void close() throws IOException {
    long h = state.handle.getAndSet(0);
    if (h == 0) return;
    cleanable.clean(); // nothing left to clean: handle is already 0
    int rc = SgioNative.sgio_file_close(h);
    if (rc != 0) throw SgioException.of(rc, "close " + path, 0);
  }

  @Override
  public String toString() {
    return "SgioFile[" + path + (isOpen() ? "]" : ", closed]");
  }
}
