// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;

/**
 * Heap (non-direct) ByteBuffers for SgioFile's synchronous calls on buffered files: each is
 * replaced by a direct stand-in for the call, filled from it before a write and copied back into
 * it after a read, as FileChannel does.
 *
 * <p>Why a copy and not pinning the array (JNI GetPrimitiveArrayCritical): a critical region may
 * stall the garbage collector for the whole system call, and a file write can block for as long as
 * the disk takes; Get*ArrayElements may copy anyway. The copy costs one memcpy per heap buffer,
 * small next to the system call. Stand-ins come from one per-thread direct buffer of up to
 * {@link #CACHED_BYTES}; larger requests get a buffer of their own for that call.
 *
 * <p>O_DIRECT files refuse heap buffers: unbuffered I/O needs aligned memory that the library uses
 * in place (a hidden aligned copy would also hide the alignment contract from the caller).
 */
final class HeapBuffers {
  /** Per-thread stand-in memory kept between calls, in bytes. */
  static final int CACHED_BYTES = 1 << 20;

  private static final ThreadLocal<ByteBuffer> CACHE =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CACHED_BYTES));

  private HeapBuffers() {}

  /**
   * {@code copy} itself when every buffer is direct (or null: BufferAddresses reports that), else
   * a new array with each heap buffer replaced by a direct stand-in holding (for a write) its
   * remaining bytes, or with room for them (for a read).
   *
   * @throws IllegalArgumentException for a heap buffer on a DIRECT file
   */
  static ByteBuffer[] substitute(ByteBuffer[] copy, boolean read, boolean directFile) {
    int first = -1;
    for (int i = 0; i < copy.length; i++) {
      ByteBuffer b = copy[i];
      if (b != null && !b.isDirect()) {
        if (directFile) {
          throw new IllegalArgumentException("buffers[" + i + "] is a heap ByteBuffer, but this file was opened with "
              + "Option.DIRECT (O_DIRECT): unbuffered I/O needs aligned direct buffers the library uses in place "
              + "(SgioFile.allocateAligned)");
        }
        if (read && b.isReadOnly()) throw new ReadOnlyBufferException();
        if (first < 0) first = i;
      }
    }
    if (first < 0) return copy;
    ByteBuffer cache = CACHE.get().clear();
    ByteBuffer[] io = copy.clone();
    for (int i = first; i < copy.length; i++) {
      ByteBuffer b = copy[i];
      if (b == null || b.isDirect()) continue;
      int len = b.remaining();
      ByteBuffer s;
      if (len <= cache.remaining()) {
        s = cache.slice().limit(len);
        cache.position(cache.position() + len);
      } else {
        s = ByteBuffer.allocateDirect(len);
      }
      if (!read) {
        s.put(b.duplicate());
        s.flip();
      }
      io[i] = s;
    }
    return io;
  }

  /**
   * After a transfer through {@code io} (which advanced the stand-ins' positions by what each
   * moved): advances the heap buffers of {@code copy} alike, copying the bytes read into them.
   */
  static void finish(ByteBuffer[] copy, ByteBuffer[] io, boolean read) {
    for (int i = 0; i < copy.length; i++) {
      ByteBuffer b = copy[i];
      if (b == null || b.isDirect()) continue;
      int n = io[i].position(); // stand-ins start at 0
      if (read) {
        ByteBuffer moved = io[i].duplicate().flip();
        b.put(moved);
      } else {
        b.position(b.position() + n);
      }
    }
  }
}
