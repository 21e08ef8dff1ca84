// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_jni_support.h - hand-written JNI helpers shared by the two SWIG-generated wrappers
 * (Win32 face and native face) that make up libsgio_jni.so.
 *
 * Every helper that fails has already thrown a Java exception and returns -1; the wrapper then
 * returns to Java at once. Nothing here keeps a JNI local reference past its return.
 */
#ifndef SGIO_JNI_SUPPORT_H
#define SGIO_JNI_SUPPORT_H

#include <jni.h>
#include <stdint.h>

#include "sgio/sgio_file.h"

#if defined(__GNUC__) && !defined(_WIN32) /* a DLL exports only what it marks dllexport */
#  define SGIO_JNI_HIDDEN __attribute__((visibility("hidden")))
#else
#  define SGIO_JNI_HIDDEN
#endif

/* Java exception classes the helpers throw. */
#define SGIO_JNI_IAE "java/lang/IllegalArgumentException"
#define SGIO_JNI_NPE "java/lang/NullPointerException"
#define SGIO_JNI_OOM "java/lang/OutOfMemoryError"
#define SGIO_JNI_ROB "java/nio/ReadOnlyBufferException"

/* Throws cls(msg), or cls() when msg is NULL; keeps an exception already pending. */
SGIO_JNI_HIDDEN void sgio_jni_throw(JNIEnv* env, const char* cls, const char* msg);

/*
 * The address of buf's first remaining byte (address + position()) and remaining() bytes.
 * buf NULL: *addr = NULL, *remaining = 0, returns 0 (the caller decides whether NULL is allowed).
 * Throws IllegalArgumentException for a heap buffer or when remaining() < min_remaining.
 */
SGIO_JNI_HIDDEN int sgio_jni_direct(JNIEnv* env, jobject buf, int64_t min_remaining, const char* what,
                                    char** addr, int64_t* remaining);

/*
 * sgio_segment {address + position(), remaining()} for every buffer of bufs with something
 * remaining, in order. Uses stack[0..stack_n) when it fits, else malloc (the caller frees *out
 * when *out != stack). *count may be 0 (all buffers empty). When for_read is set, read-only
 * buffers are refused (ReadOnlyBufferException): the library would write into them.
 */
SGIO_JNI_HIDDEN int sgio_jni_segments(JNIEnv* env, jobjectArray bufs, int for_read, sgio_segment* stack,
                                      uint32_t stack_n, sgio_segment** out, uint32_t* count);

/*
 * The fast path of SgioFile: bases[i] = the base address of bufs[i] (its memory's first byte,
 * ignoring position) for every i where bases[i] is 0. The Java caller has already checked that
 * every buffer is non-null and direct; only one field is read per buffer, no type check.
 * For io.sgio's own classes only.
 */
SGIO_JNI_HIDDEN int sgio_jni_fill_bases(JNIEnv* env, jobjectArray bufs, jlongArray bases);

/*
 * The same, written into the direct buffer dst (16 bytes per segment, native order, from
 * dst's position) so the array can outlive the call (asynchronous requests). Returns the
 * number of segments written, or -1; dst must have room for bufs.length segments.
 */
SGIO_JNI_HIDDEN int64_t sgio_jni_fill_segments(JNIEnv* env, jobject dst, jobjectArray bufs, int for_read);

/*
 * The Win32 FILE_SEGMENT_ELEMENT array: address + position() of every buffer of bufs (one page
 * each, whatever their remaining()), then a 0 terminator, into the direct buffer dst (8 bytes per
 * element, native order, from dst's position). Returns the number of elements before the
 * terminator, or -1.
 */
SGIO_JNI_HIDDEN int64_t sgio_jni_fill_pages(JNIEnv* env, jobject dst, jobjectArray bufs);

/* A NUL-terminated copy of a byte[] (which Java already terminated); NULL for null. Free with free(). */
SGIO_JNI_HIDDEN int sgio_jni_bytes_z(JNIEnv* env, jbyteArray bytes, char** out);
/* A NUL-terminated UTF-16 copy of a String; NULL for null. Free with free(). */
SGIO_JNI_HIDDEN int sgio_jni_utf16_z(JNIEnv* env, jstring s, uint16_t** out);
/* A byte[] holding the bytes of a C string (UTF-8); null for NULL. */
SGIO_JNI_HIDDEN jbyteArray sgio_jni_cstring_bytes(JNIEnv* env, const char* s);

/* Stores v in out[0]; out may be null (then nothing is stored). Throws if out has length 0. */
SGIO_JNI_HIDDEN int sgio_jni_check_out(JNIEnv* env, jlongArray out);
SGIO_JNI_HIDDEN void sgio_jni_store_out(JNIEnv* env, jlongArray out, jlong v);

#endif /* SGIO_JNI_SUPPORT_H */
