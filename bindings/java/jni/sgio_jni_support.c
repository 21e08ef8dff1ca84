// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_jni_support.c - JNI helpers for the SWIG wrappers (see sgio_jni_support.h).
 *
 * java.nio.Buffer's position/limit are read through the private int fields when the JVM has them
 * (every OpenJDK since 1.4): a field read is a few nanoseconds, a CallIntMethod several times
 * that, and a gather of hundreds of buffers reads two per buffer. The public methods are the
 * fallback, so an unusual JVM still works.
 */
#include "sgio_jni_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jfieldID g_position_field;
static jfieldID g_limit_field;
static jmethodID g_position_method;
static jmethodID g_limit_method;
static jmethodID g_read_only_method;
static jfieldID g_read_only_field;
static jfieldID g_address_field;

/* Called by System.load before any wrapper runs, so the ids are written once, before any reader. */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void* reserved) {
  (void)reserved;
  JNIEnv* env = NULL;
  if ((*vm)->GetEnv(vm, (void**)&env, JNI_VERSION_1_6) != JNI_OK) return JNI_ERR;
  jclass buffer = (*env)->FindClass(env, "java/nio/Buffer");
  if (!buffer) return JNI_ERR;
  g_position_method = (*env)->GetMethodID(env, buffer, "position", "()I");
  g_limit_method = (*env)->GetMethodID(env, buffer, "limit", "()I");
  g_read_only_method = (*env)->GetMethodID(env, buffer, "isReadOnly", "()Z");
  if (!g_position_method || !g_limit_method || !g_read_only_method) return JNI_ERR;
  g_position_field = (*env)->GetFieldID(env, buffer, "position", "I");
  if (!g_position_field) (*env)->ExceptionClear(env);
  g_limit_field = (*env)->GetFieldID(env, buffer, "limit", "I");
  if (!g_limit_field) (*env)->ExceptionClear(env);
  g_address_field = (*env)->GetFieldID(env, buffer, "address", "J");
  if (!g_address_field) (*env)->ExceptionClear(env);
  (*env)->DeleteLocalRef(env, buffer);
  jclass byte_buffer = (*env)->FindClass(env, "java/nio/ByteBuffer");
  if (!byte_buffer) return JNI_ERR;
  g_read_only_field = (*env)->GetFieldID(env, byte_buffer, "isReadOnly", "Z");
  if (!g_read_only_field) (*env)->ExceptionClear(env);
  (*env)->DeleteLocalRef(env, byte_buffer);
  return JNI_VERSION_1_6;
}

void sgio_jni_throw(JNIEnv* env, const char* cls, const char* msg) {
  if ((*env)->ExceptionCheck(env)) return; /* keep the first exception */
  jclass c = (*env)->FindClass(env, cls);
  if (!c) return;
  if (msg) {
    (*env)->ThrowNew(env, c, msg);
  } else { /* for exceptions without a String constructor (ReadOnlyBufferException) */
    jmethodID init = (*env)->GetMethodID(env, c, "<init>", "()V");
    jobject e = init ? (*env)->NewObject(env, c, init) : NULL;
    if (e) {
      (*env)->Throw(env, (jthrowable)e);
      (*env)->DeleteLocalRef(env, e);
    }
  }
  (*env)->DeleteLocalRef(env, c);
}

/* What to call a buffer in messages: "what" or "what[index]" (index >= 0). */
static void buffer_name(char* out, size_t n, const char* what, int64_t index) {
  if (index >= 0) snprintf(out, n, "%s[%lld]", what, (long long)index);
  else snprintf(out, n, "%s", what);
}

/* sgio_jni_direct with an index for messages; the fast path formats nothing. */
static int direct_at(JNIEnv* env, jobject buf, int64_t min_remaining, const char* what, int64_t index, char** addr,
                     int64_t* remaining) {
  *addr = NULL;
  if (remaining) *remaining = 0;
  if (!buf) return 0;
  char* base = (char*)(*env)->GetDirectBufferAddress(env, buf);
  if (!base) {
    char name[64], msg[192];
    buffer_name(name, sizeof name, what, index);
    snprintf(msg, sizeof msg, "%s is not a direct ByteBuffer (use ByteBuffer.allocateDirect or VirtualAlloc memory)",
             name);
    sgio_jni_throw(env, SGIO_JNI_IAE, msg);
    return -1;
  }
  jint pos, lim;
  if (g_position_field && g_limit_field) {
    pos = (*env)->GetIntField(env, buf, g_position_field);
    lim = (*env)->GetIntField(env, buf, g_limit_field);
  } else {
    pos = (*env)->CallIntMethod(env, buf, g_position_method);
    lim = (*env)->CallIntMethod(env, buf, g_limit_method);
    if ((*env)->ExceptionCheck(env)) return -1;
  }
  if ((int64_t)lim - pos < min_remaining) {
    char name[64], msg[192];
    buffer_name(name, sizeof name, what, index);
    snprintf(msg, sizeof msg, "%s has %d bytes remaining, needs at least %lld", name, (int)(lim - pos),
             (long long)min_remaining);
    sgio_jni_throw(env, SGIO_JNI_IAE, msg);
    return -1;
  }
  *addr = base + pos;
  if (remaining) *remaining = (int64_t)lim - pos;
  return 0;
}

int sgio_jni_direct(JNIEnv* env, jobject buf, int64_t min_remaining, const char* what, char** addr,
                    int64_t* remaining) {
  return direct_at(env, buf, min_remaining, what, -1, addr, remaining);
}

static int is_read_only(JNIEnv* env, jobject buf) {
  return g_read_only_field ? (*env)->GetBooleanField(env, buf, g_read_only_field)
                           : (*env)->CallBooleanMethod(env, buf, g_read_only_method);
}

/* Element i of bufs as {address + position, remaining}; throws for null, heap and (for reads) read-only buffers. */
static int segment_of(JNIEnv* env, jobjectArray bufs, jsize i, int for_read, char** addr, int64_t* len) {
  jobject b = (*env)->GetObjectArrayElement(env, bufs, i);
  if (!b) {
    char msg[64];
    snprintf(msg, sizeof msg, "buffers[%d] is null", (int)i);
    sgio_jni_throw(env, SGIO_JNI_NPE, msg);
    return -1;
  }
  int rc = direct_at(env, b, 0, "buffers", i, addr, len);
  if (rc == 0 && for_read && is_read_only(env, b)) {
    sgio_jni_throw(env, SGIO_JNI_ROB, NULL); /* it has no message constructor */
    rc = -1;
  }
  (*env)->DeleteLocalRef(env, b);
  return rc;
}

int sgio_jni_segments(JNIEnv* env, jobjectArray bufs, int for_read, sgio_segment* stack, uint32_t stack_n,
                      sgio_segment** out, uint32_t* count) {
  *out = stack;
  *count = 0;
  if (!bufs) {
    sgio_jni_throw(env, SGIO_JNI_NPE, "buffers is null");
    return -1;
  }
  jsize n = (*env)->GetArrayLength(env, bufs);
  sgio_segment* segs = stack;
  if ((uint32_t)n > stack_n) {
    segs = (sgio_segment*)malloc((size_t)n * sizeof *segs);
    if (!segs) {
      sgio_jni_throw(env, SGIO_JNI_OOM, "segment array");
      return -1;
    }
  }
  uint32_t used = 0;
  for (jsize i = 0; i < n; i++) {
    char* addr;
    int64_t len;
    if (segment_of(env, bufs, i, for_read, &addr, &len) != 0) {
      if (segs != stack) free(segs);
      return -1;
    }
    if (len == 0) continue; /* GatheringByteChannel allows empty buffers; sgio segments are > 0 */
    segs[used].buffer = (uint64_t)(uintptr_t)addr;
    segs[used].length = (uint64_t)len;
    used++;
  }
  *out = segs;
  *count = used;
  return 0;
}

int64_t sgio_jni_fill_segments(JNIEnv* env, jobject dst, jobjectArray bufs, int for_read) {
  if (!bufs) {
    sgio_jni_throw(env, SGIO_JNI_NPE, "buffers is null");
    return -1;
  }
  jsize n = (*env)->GetArrayLength(env, bufs);
  char* base;
  if (sgio_jni_direct(env, dst, (int64_t)n * (int64_t)sizeof(sgio_segment), "segment array", &base, NULL) != 0)
    return -1;
  if (!base) {
    sgio_jni_throw(env, SGIO_JNI_NPE, "segment array is null");
    return -1;
  }
  int64_t used = 0;
  for (jsize i = 0; i < n; i++) {
    char* addr;
    int64_t len;
    if (segment_of(env, bufs, i, for_read, &addr, &len) != 0) return -1;
    if (len == 0) continue;
    sgio_segment s;
    s.buffer = (uint64_t)(uintptr_t)addr;
    s.length = (uint64_t)len;
    memcpy(base + used * (int64_t)sizeof s, &s, sizeof s); /* dst's position need not be 8-aligned */
    used++;
  }
  return used;
}

int64_t sgio_jni_fill_pages(JNIEnv* env, jobject dst, jobjectArray bufs) {
  if (!bufs) {
    sgio_jni_throw(env, SGIO_JNI_NPE, "segments is null");
    return -1;
  }
  jsize n = (*env)->GetArrayLength(env, bufs);
  char* base;
  if (sgio_jni_direct(env, dst, ((int64_t)n + 1) * 8, "segment array", &base, NULL) != 0) return -1;
  if (!base) {
    sgio_jni_throw(env, SGIO_JNI_NPE, "segment array is null");
    return -1;
  }
  for (jsize i = 0; i < n; i++) {
    char* addr;
    int64_t len;
    if (segment_of(env, bufs, i, 0, &addr, &len) != 0) return -1;
    uint64_t v = (uint64_t)(uintptr_t)addr;
    memcpy(base + (int64_t)i * 8, &v, 8);
  }
  uint64_t zero = 0;
  memcpy(base + (int64_t)n * 8, &zero, 8);
  return n;
}

int sgio_jni_bytes_z(JNIEnv* env, jbyteArray bytes, char** out) {
  *out = NULL;
  if (!bytes) return 0;
  jsize n = (*env)->GetArrayLength(env, bytes);
  char* s = (char*)malloc((size_t)n + 1);
  if (!s) {
    sgio_jni_throw(env, SGIO_JNI_OOM, "string copy");
    return -1;
  }
  (*env)->GetByteArrayRegion(env, bytes, 0, n, (jbyte*)s);
  s[n] = '\0';
  *out = s;
  return 0;
}

int sgio_jni_utf16_z(JNIEnv* env, jstring str, uint16_t** out) {
  *out = NULL;
  if (!str) return 0;
  jsize n = (*env)->GetStringLength(env, str);
  uint16_t* s = (uint16_t*)malloc(((size_t)n + 1) * sizeof *s);
  if (!s) {
    sgio_jni_throw(env, SGIO_JNI_OOM, "string copy");
    return -1;
  }
  (*env)->GetStringRegion(env, str, 0, n, (jchar*)s); /* jchar is UTF-16, as WCHAR */
  s[n] = 0;
  *out = s;
  return 0;
}

jbyteArray sgio_jni_cstring_bytes(JNIEnv* env, const char* s) {
  if (!s) return NULL;
  jsize n = (jsize)strlen(s);
  jbyteArray a = (*env)->NewByteArray(env, n);
  if (a) (*env)->SetByteArrayRegion(env, a, 0, n, (const jbyte*)s);
  return a;
}

int sgio_jni_check_out(JNIEnv* env, jlongArray out) {
  if (out && (*env)->GetArrayLength(env, out) < 1) {
    sgio_jni_throw(env, SGIO_JNI_IAE, "output array has length 0");
    return -1;
  }
  return 0;
}

void sgio_jni_store_out(JNIEnv* env, jlongArray out, jlong v) {
  if (out) (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
}

/* Elements per JNI local frame in sgio_jni_fill_bases: bounded memory for the local refs, and no
 * DeleteLocalRef per element (PopLocalFrame frees a block at once). */
#define SGIO_JNI_FRAME 128

int sgio_jni_fill_bases(JNIEnv* env, jobjectArray bufs, jlongArray bases) {
  if (!bufs || !bases) {
    sgio_jni_throw(env, SGIO_JNI_NPE, "buffers");
    return -1;
  }
  jsize n = (*env)->GetArrayLength(env, bufs);
  if ((*env)->GetArrayLength(env, bases) < n) {
    sgio_jni_throw(env, SGIO_JNI_IAE, "bases is shorter than buffers");
    return -1;
  }
  for (jsize start = 0; start < n; start += SGIO_JNI_FRAME) {
    jsize len = n - start < SGIO_JNI_FRAME ? n - start : SGIO_JNI_FRAME;
    jlong b[SGIO_JNI_FRAME];
    (*env)->GetLongArrayRegion(env, bases, start, len, b);
    if ((*env)->PushLocalFrame(env, SGIO_JNI_FRAME) != 0) return -1;
    int rc = 0;
    for (jsize k = 0; k < len; k++) {
      if (b[k] != 0) continue;
      jobject o = (*env)->GetObjectArrayElement(env, bufs, start + k);
      /* The caller checked isDirect() on these objects, so the address field is the base. */
      char* base = !o ? NULL
                   : g_address_field ? (char*)(intptr_t)(*env)->GetLongField(env, o, g_address_field)
                                     : (char*)(*env)->GetDirectBufferAddress(env, o);
      if (!base) {
        rc = -1;
        break;
      }
      b[k] = (jlong)(intptr_t)base;
    }
    (*env)->PopLocalFrame(env, NULL);
    if (rc != 0) {
      sgio_jni_throw(env, SGIO_JNI_IAE, "a buffer is null or not direct");
      return -1;
    }
    (*env)->SetLongArrayRegion(env, bases, start, len, b);
  }
  return 0;
}
