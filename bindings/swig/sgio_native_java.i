// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_native_java.i - the native face (sgio.h) for Java: class io.sgio.SgioNative.
 *
 * A thin, faithful layer: every sgio_* function keeps its name and its int32_t status; handles are
 * longs, out-parameters long[1] arrays, option structs small proxy classes. Segment lists are
 * ByteBuffer[] of direct buffers (address + position(), remaining() bytes each; empty buffers are
 * skipped), or for the queue a caller-owned direct buffer of 16-byte sgio_segment entries that
 * stays valid until the completion. The idiomatic API (SgioFile, SgioQueue, SgioException) is
 * hand-written Java on top of this, in bindings/java/src.
 *
 * Built by bindings/java/CMakeLists.txt: swig -java -package io.sgio, output in the build tree.
 */
%module(jniclassname="SgioNativeJNI") SgioNative

%include "sgio_java_common.swg"
%include "enumsimple.swg" /* sgio_status codes as int constants: SgioNative.SGIO_EINVAL */

%{
#include <string.h>
#include "sgio/sgio.h"
%}

/* Macros like 0x0001u are not Java literals, so constants are read from the JNI class once
 * (%javaconst(0)); the sgio_status codes are plain literals and stay compile-time constants. */
%javaconst(0);
%javaconst(1) SGIO_OK;

SGIO_JAVA_HANDLE(sgio_file)
SGIO_JAVA_HANDLE(sgio_queue)
SGIO_JAVA_OUT(uint32_t)
SGIO_JAVA_OUT(uint64_t)
SGIO_JAVA_OUT(int64_t)

%apply sgio_file **OUT { sgio_file **out };
%apply sgio_queue **OUT { sgio_queue **out };
%apply uint32_t *OUT { uint32_t *major, uint32_t *minor, uint32_t *patch, uint32_t *out_memory,
                       uint32_t *out_offset, uint32_t *out_backend, uint32_t *out_submitted,
                       uint32_t *out_count, uint32_t *out_found };
%apply uint64_t *OUT { uint64_t *out_written, uint64_t *out_read, uint64_t *out_size };
%apply int64_t *OUT { int64_t *out_fd };

/* sgio_aligned_alloc(void** out, ...) / sgio_aligned_free(void*): addresses as longs. */
%typemap(jni) void **out "jlongArray"
%typemap(jtype) void **out "long[]"
%typemap(jstype) void **out "long[]"
%typemap(javain) void **out "$javainput"
%typemap(in) void **out (void *temp) {
  if (sgio_jni_check_out(jenv, $input) != 0) return $null;
  temp = NULL;
  $1 = $input ? &temp : NULL;
}
%typemap(argout) void **out %{ sgio_jni_store_out(jenv, $input, (jlong)(uintptr_t)temp$argnum); %}
%typemap(jni) void *block "jlong"
%typemap(jtype) void *block "long"
%typemap(jstype) void *block "long"
%typemap(javain) void *block "$javainput"
%typemap(in) void *block %{ $1 = (void *)(uintptr_t)$input; %}

/* Synchronous gather/scatter: (segs, count) <- ByteBuffer[] of direct buffers, converted once per
 * call on the stack (up to 64 buffers) or the heap. */
%typemap(jni) (const sgio_segment *segs, uint32_t count) "jobjectArray"
%typemap(jtype) (const sgio_segment *segs, uint32_t count) "java.nio.ByteBuffer[]"
%typemap(jstype) (const sgio_segment *segs, uint32_t count) "java.nio.ByteBuffer[]"
%typemap(javain) (const sgio_segment *segs, uint32_t count) "$javainput"
%typemap(in) (const sgio_segment *segs, uint32_t count) (sgio_segment stack[64], sgio_segment *segs_) {
  if (sgio_jni_segments(jenv, $input, SGIO_JNI_FOR_READ_$symname, stack, 64, &segs_, &$2) != 0) return $null;
  $1 = segs_;
}
%typemap(freearg) (const sgio_segment *segs, uint32_t count) %{ if (segs_$argnum != stack$argnum) free(segs_$argnum); %}
%{
/* Scatter reads write into the buffers, so read-only ones are refused there. */
#define SGIO_JNI_FOR_READ_sgio_file_write_gather 0
#define SGIO_JNI_FOR_READ_sgio_file_read_scatter 1
%}

/* Queue: requests and completions live in caller-owned direct buffers (48 and 24 bytes each). */
SGIO_JAVA_DIRECT(const sgio_request *reqs, 0, "request buffer")
SGIO_JAVA_DIRECT(sgio_completion *out, 0, "completion buffer")

/* Option structs: proxies with Java names; the I/O structs are built in direct buffers instead. */
%rename(SgioOpenOptions) sgio_open_options;
%rename(SgioQueueOptions) sgio_queue_options;
%ignore sgio_segment;
%ignore sgio_request;
%ignore sgio_completion;
%typemap(javacode) sgio_open_options %{
  /** A zeroed struct; call SgioNative.sgio_open_options_init before use. */
%}

%include "sgio/sgio_common.h"
%include "sgio/sgio_version.h"
%include "sgio/sgio_errors.h"
%include "sgio/sgio_memory.h"
%include "sgio/sgio_file.h"
%include "sgio/sgio_queue.h"

/*
 * Helpers the hand-written classes need beyond the C API: filling a persistent segment array
 * from ByteBuffer[] in one JNI call, and the address of a direct buffer.
 */
%typemap(in, numinputs=0) JNIEnv *jenv_ %{ $1 = jenv; %}
%typemap(jni) jobjectArray buffers "jobjectArray"
%typemap(jtype) jobjectArray buffers "java.nio.ByteBuffer[]"
%typemap(jstype) jobjectArray buffers "java.nio.ByteBuffer[]"
%typemap(javain) jobjectArray buffers "$javainput"
%typemap(in) jobjectArray buffers %{ $1 = $input; %}
%typemap(jni) jobject buffer "jobject"
%typemap(jtype) jobject buffer "java.nio.ByteBuffer"
%typemap(jstype) jobject buffer "java.nio.ByteBuffer"
%typemap(javain) jobject buffer "$javainput"
%typemap(in) jobject buffer %{ $1 = $input; %}
%typemap(out) int64_t sgio_jni_fill_segments %{ $result = (jlong)$1; %}

%rename(fillSegments) sgio_jni_fill_segments_;
%rename(bufferAddress) sgio_jni_buffer_address;
%inline %{
/* Writes 16-byte sgio_segment entries for the non-empty buffers of 'buffers' into the direct
 * buffer 'buffer' (from its position); returns how many. for_read refuses read-only buffers. */
static int64_t sgio_jni_fill_segments_(JNIEnv *jenv_, jobject buffer, jobjectArray buffers, int32_t for_read) {
  return sgio_jni_fill_segments(jenv_, buffer, buffers, for_read);
}
/* address + position() of a direct buffer (0 for null); IllegalArgumentException for a heap buffer. */
static int64_t sgio_jni_buffer_address(JNIEnv *jenv_, jobject buffer) {
  char *addr;
  if (sgio_jni_direct(jenv_, buffer, 0, "buffer", &addr, NULL) != 0) return 0;
  return (int64_t)(intptr_t)addr;
}
%}

/*
 * SgioFile's and SgioQueue's fast path (package-private). Java builds the segment list itself,
 * {address, length} pairs in a direct buffer - the exact layout of sgio_segment - from buffer base
 * addresses it caches per thread (BufferAddresses), so a call with the same buffers as last time
 * costs no JNI work per buffer at all. bufferBases fetches the bases it does not have, in one
 * call. The calls themselves pass only numbers: no JNI array access, no callback into the JVM.
 */
%typemap(jni) jlongArray bases "jlongArray"
%typemap(jtype) jlongArray bases "long[]"
%typemap(jstype) jlongArray bases "long[]"
%typemap(javain) jlongArray bases "$javainput"
%typemap(in) jlongArray bases %{ $1 = $input; %}
%javamethodmodifiers sgio_jni_buffer_bases "";
%javamethodmodifiers sgio_jni_transfer "";
%rename(bufferBases) sgio_jni_buffer_bases;
%rename(transfer) sgio_jni_transfer;
%inline %{
/* bases[i] = base address of buffers[i] for every i with bases[i] == 0 (the caller checked that
 * all are direct). Returns 0, or -1 with an exception pending. */
static int32_t sgio_jni_buffer_bases(JNIEnv *jenv_, jobjectArray buffers, jlongArray bases) {
  return sgio_jni_fill_bases(jenv_, buffers, bases);
}
/* SgioFile's gather/scatter: count segments at scratch + 16, the bytes moved stored at scratch
 * (a uint64_t), the status returned. Up to 256 segments (4 KiB) are copied to this frame first:
 * the library does not probe an array on the calling thread's stack, which saves a system call
 * per gather. */
static int32_t sgio_jni_transfer(sgio_file *f, int64_t scratch, uint32_t count, uint64_t offset, int32_t read) {
  char *base = (char *)(intptr_t)scratch;
  sgio_segment stack[256];
  const sgio_segment *segs = (const sgio_segment *)(base + 16);
  if (count <= 256) {
    memcpy(stack, segs, count * sizeof *segs);
    segs = stack;
  }
  uint64_t done = 0;
  int32_t rc = read ? sgio_file_read_scatter(f, segs, count, offset, &done)
                    : sgio_file_write_gather(f, segs, count, offset, &done);
  memcpy(base, &done, sizeof done);
  return rc;
}
%}

/*
 * SgioQueue's submit and wait, numbers only (package-private). The request is read from a
 * per-thread direct buffer and the completions written to one, all at addresses Java computed.
 */
%javamethodmodifiers sgio_jni_queue_submit "";
%javamethodmodifiers sgio_jni_queue_wait "";
%rename(queueSubmit) sgio_jni_queue_submit;
%rename(queueWait) sgio_jni_queue_wait;
%inline %{
/* One request (48 bytes at scratch, copied to this frame: the library does not probe the
 * calling thread's stack), submitted with sgio_queue_submit_and_peek: completions that
 * are ready (this request's first, when it finished inside the call) go to scratch + 64 (24 bytes
 * each, at most max_out); their number is stored at scratch + 48 (uint32_t), the accepted count at
 * scratch + 52. Returns the status. */
static int32_t sgio_jni_queue_submit(sgio_queue *q, int64_t scratch, uint32_t max_out) {
  char *base = (char *)(intptr_t)scratch;
  sgio_request req;
  memcpy(&req, base, sizeof req);
  uint32_t submitted = 0, count = 0;
  int32_t rc = sgio_queue_submit_and_peek(q, &req, 1, &submitted,
                                          (sgio_completion *)(base + 64), max_out, &count);
  memcpy(base + 48, &count, sizeof count);
  memcpy(base + 52, &submitted, sizeof submitted);
  return rc;
}
/* sgio_queue_wait into `out` (max_count completions of 24 bytes); returns the number of
 * completions (>= 0) or the negative status. */
static int32_t sgio_jni_queue_wait(sgio_queue *q, int64_t out, uint32_t max_count, uint32_t min_count,
                                   uint32_t timeout_ms) {
  uint32_t count = 0;
  int32_t rc = sgio_queue_wait(q, (sgio_completion *)(intptr_t)out, max_count, min_count, timeout_ms, &count);
  return rc != 0 ? rc : (int32_t)count;
}
%}
