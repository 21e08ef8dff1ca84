// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;

/**
 * Builds a sgio_segment list ({address, length} pairs in a long[]) from direct ByteBuffers in
 * Java, so a gather costs one JNI call however many buffers it has.
 *
 * <p>Reading a buffer's address through JNI costs several JNI calls per buffer, as much as the
 * system call itself for small segments. A direct buffer's base address never changes, so each
 * thread remembers the bases of the buffers of its previous call, by position in the array and
 * by identity (weakly: the cache never keeps a buffer alive). Calls that reuse their buffers -
 * the common case of pooled I/O buffers - need no JNI per buffer; the rest are fetched in one
 * batched call. Threads that pass new buffers every time stop filling the cache (it would only
 * cost them weak references) except for an occasional probe.
 */
final class BufferAddresses {
  private static final ThreadLocal<BufferAddresses> PER_THREAD = ThreadLocal.withInitial(BufferAddresses::new);

  private WeakReference<?>[] refs = new WeakReference<?>[0];
  private long[] bases = new long[0];
  private long[] lookup = new long[0];
  private int missStreak;

  /** The {address, length} pairs of the non-empty buffers (reused per thread: copy before the next call). */
  long[] pairs = new long[0];
  /** Number of pairs. */
  int count;
  /** Sum of the lengths. */
  long total;

  private BufferAddresses() {}

  /**
   * Checks {@code copy} (a private copy of the caller's array: no other thread can swap its
   * elements) and fills pairs/count/total for this thread. The caller must keep {@code copy}
   * reachable until the native call that uses the addresses has returned.
   */
  static BufferAddresses of(ByteBuffer[] copy, boolean read) {
    BufferAddresses a = PER_THREAD.get();
    a.fill(copy, read);
    return a;
  }

  private void fill(ByteBuffer[] copy, boolean read) {
    int n = copy.length;
    if (refs.length < n) {
      refs = Arrays.copyOf(refs, n);
      bases = Arrays.copyOf(bases, n);
      lookup = new long[n];
    }
    if (pairs.length < 2 * n) pairs = new long[2 * n];
    boolean miss = false;
    for (int i = 0; i < n; i++) {
      ByteBuffer b = copy[i];
      if (b == null) throw new NullPointerException("buffers[" + i + "]");
      if (!b.isDirect()) throw new IllegalArgumentException("buffers[" + i + "] is not a direct ByteBuffer");
      if (read && b.isReadOnly()) throw new ReadOnlyBufferException();
      WeakReference<?> r = refs[i];
      if (r != null && r.get() == b) {
        lookup[i] = bases[i];
      } else {
        lookup[i] = 0;
        miss |= b.hasRemaining();
      }
    }
    if (miss) {
      if (SgioNative.bufferBases(copy, lookup) != 0) throw new IllegalStateException("bufferBases failed");
      // Remember them, unless this thread evidently never reuses buffers (then only probe now and then).
      boolean remember = missStreak < 2 || (missStreak & 15) == 0;
      missStreak++;
      if (remember) {
        for (int i = 0; i < n; i++) {
          WeakReference<?> r = refs[i];
          if (lookup[i] != 0 && (r == null || r.get() != copy[i])) {
            refs[i] = new WeakReference<>(copy[i]);
            bases[i] = lookup[i];
          }
        }
      }
    } else {
      missStreak = 0;
    }
    int k = 0;
    long sum = 0;
    for (int i = 0; i < n; i++) {
      ByteBuffer b = copy[i];
      int pos = b.position(), len = b.limit() - pos;
      if (len == 0) continue;
      pairs[2 * k] = lookup[i] + pos;
      pairs[2 * k + 1] = len;
      sum += len;
      k++;
    }
    count = k;
    total = sum;
  }
}
