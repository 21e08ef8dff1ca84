// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;

/**
 * Builds a sgio_segment list ({address, length} pairs, 16 bytes each, native order) from direct
 * ByteBuffers in Java, straight into native memory, so a gather costs one JNI call that passes only
 * numbers, however many buffers it has.
 *
 * <p>Reading a buffer's address through JNI costs several JNI calls per buffer, as much as the
 * system call itself for small segments. A direct buffer's base address never changes, so each
 * thread remembers the bases of the buffers it used, by identity (weakly: the cache never keeps a
 * buffer alive). Calls that reuse their buffers -
 * the common case of pooled I/O buffers - need no JNI per buffer; the rest are fetched in one
 * batched call. Threads that pass new buffers every time stop filling the cache (it would only
 * cost them weak references) except for an occasional probe.
 *
 * <p>The list goes into a direct buffer: SgioFile's per-thread {@link #scratch} (16 bytes for the
 * result, then the segments), or an SgioQueue slot's own buffer, which must outlive the request.
 * The native side then reads it in place: no long[] copied in and out through JNI (measured with
 * perf on 64 x 512 B page-cache reads: Get/SetLongArrayRegion and GetArrayLength were 2.5 % of the
 * call's CPU).
 */
final class BufferAddresses {
  private static final ThreadLocal<BufferAddresses> PER_THREAD = ThreadLocal.withInitial(BufferAddresses::new);
  /** Bytes of one sgio_segment. */
  static final int SEGMENT_SIZE = 16;
  /** Where the segments start in {@link #scratch}: after the result word, 16-byte aligned. */
  static final int SCRATCH_SEGMENTS = 16;

  /**
   * Base addresses this thread has seen, by buffer identity: an open-addressed table from
   * identityHashCode, looked up over at most PROBES entries. Keyed by identity rather than by
   * position in the array, so a thread that cycles through many buffer sets (one per request in
   * flight, 32 x 16 buffers in the QD32 benchmark) finds them all; the positional cache this
   * replaced missed on every call there and paid a JNI call with a JNI array read per buffer
   * (perf: 1.5 % of the request's CPU). 2048 entries: 24 KB per thread, a quarter full with 512
   * buffers in use.
   */
  private static final int CACHE_ENTRIES = 2048;
  private static final int PROBES = 8;
  private int evictions;
  private final WeakReference<?>[] refs = new WeakReference<?>[CACHE_ENTRIES];
  private final long[] bases = new long[CACHE_ENTRIES];
  private long[] lookup = new long[0];
  private int missStreak;
  private ByteBuffer scratch = ByteBuffer.allocateDirect(0);
  private long scratchAddress;

  /** Number of segments written (the non-empty buffers). */
  int count;
  /** Sum of the lengths. */
  long total;

  private BufferAddresses() {}

  /**
   * This thread's instance, for {@link #check}, {@link #write} and {@link #scratch}. Each write
   * overwrites count and total, so read them before this thread's next write.
   */
  static BufferAddresses get() {
    return PER_THREAD.get();
  }

  /**
   * This thread's direct buffer with room for {@code segments} segments from byte
   * {@link #SCRATCH_SEGMENTS} (native order; bytes 0..8 are free for a result). Valid until this
   * thread's next call of scratch.
   */
  ByteBuffer scratch(int segments) {
    long need = SCRATCH_SEGMENTS + (long) segments * SEGMENT_SIZE;
    if (scratch.capacity() < need) {
      if (need > Integer.MAX_VALUE) throw new IllegalArgumentException("too many buffers: " + segments);
      scratch = ByteBuffer.allocateDirect((int) Math.max(need, 2 * scratch.capacity())).order(ByteOrder.nativeOrder());
      scratchAddress = SgioNative.bufferAddress(scratch);
    }
    return scratch;
  }

  /** The native address of the buffer {@link #scratch} last returned. */
  long scratchAddress() {
    return scratchAddress;
  }

  /**
   * Checks {@code copy} (a private copy of the caller's array: no other thread can swap its
   * elements) and looks up its buffers' base addresses, for the next {@link #write} of this
   * thread. Throws NullPointerException, IllegalArgumentException (a heap buffer) or, for a read,
   * ReadOnlyBufferException.
   */
  void check(ByteBuffer[] copy, boolean read) {
    int n = copy.length;
    if (lookup.length < n) lookup = new long[n];
    int misses = 0;
    for (int i = 0; i < n; i++) {
      ByteBuffer b = copy[i];
      if (b == null) throw new NullPointerException("buffers[" + i + "]");
      if (!b.isDirect()) throw new IllegalArgumentException("buffers[" + i + "] is not a direct ByteBuffer");
      if (read && b.isReadOnly()) throw new ReadOnlyBufferException();
      long base = cached(b);
      lookup[i] = base;
      if (base == 0 && b.hasRemaining()) misses++;
    }
    if (misses == 0) {
      missStreak = 0;
      return;
    }
    if (SgioNative.bufferBases(copy, lookup) != 0) throw new IllegalStateException("bufferBases failed");
    // Remember them, unless this thread evidently never reuses buffers (then only probe now and then).
    missStreak = misses < n ? 0 : missStreak + 1;
    if (missStreak > 2 && (missStreak & 15) != 0) return;
    for (int i = 0; i < n; i++) {
      if (lookup[i] != 0) remember(copy[i], lookup[i]);
    }
  }

  /** The base address remembered for {@code b}, or 0. */
  private long cached(ByteBuffer b) {
    int h = System.identityHashCode(b);
    for (int k = 0; k < PROBES; k++) {
      int at = (h + k) & (CACHE_ENTRIES - 1);
      WeakReference<?> r = refs[at];
      if (r == null) return 0; // entries are replaced, never emptied: the chain ends here
      if (r.get() == b) return bases[at];
    }
    return 0;
  }

  private void remember(ByteBuffer b, long base) {
    int h = System.identityHashCode(b);
    int victim = -1;
    for (int k = 0; k < PROBES; k++) {
      int at = (h + k) & (CACHE_ENTRIES - 1);
      WeakReference<?> r = refs[at];
      Object o = r == null ? null : r.get();
      if (o == b) return; // known (a buffer twice in one call)
      if (o == null && victim < 0) victim = at;
    }
    if (victim < 0) victim = (h + (evictions++ & (PROBES - 1))) & (CACHE_ENTRIES - 1);
    refs[victim] = new WeakReference<>(b);
    bases[victim] = base;
  }

  /**
   * Writes the segments of the non-empty buffers of {@code copy}, checked by this thread's last
   * {@link #check}, into {@code dst} from byte {@code at} (dst must have room for copy.length
   * segments there); sets count and total and returns count. The caller must keep {@code copy}
   * reachable until the native call that uses the addresses has returned.
   */
  int write(ByteBuffer[] copy, ByteBuffer dst, int at) {
    int n = copy.length;
    int k = 0;
    long sum = 0;
    for (int i = 0; i < n; i++) {
      ByteBuffer b = copy[i];
      int pos = b.position(), len = b.limit() - pos;
      // No base: the buffer was empty when checked. Another thread refilling it meanwhile must
      // not turn it into a segment at address 0 + position.
      if (len <= 0 || lookup[i] == 0) continue;
      int o = at + k * SEGMENT_SIZE;
      dst.putLong(o, lookup[i] + pos);
      dst.putLong(o + 8, len);
      sum += len;
      k++;
    }
    count = k;
    total = sum;
    return k;
  }
}
