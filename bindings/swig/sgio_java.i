// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_java.i - the Win32 face (sgio_win32.h) for Java: class io.sgio.Win32.
 *
 * The same call shape as the Windows API, so ported code reads the same:
 *   boolean WriteFileGather(long hFile, ByteBuffer[] segments, long bytes, long reserved, OVERLAPPED ov)
 *   int GetLastError()   // the Win32 code of this thread's last Win32 call, captured right after it
 * Handles and addresses are longs; DWORDs are longs (0..2^32-1, or -1 for 0xFFFFFFFF); BOOL is boolean;
 * out-parameters (LPDWORD, PLARGE_INTEGER, ...) are long[1] arrays or null; W strings are Strings.
 *
 * Gather/scatter have three forms (hand-written overloads in the module code below):
 *   - ByteBuffer[] of direct buffers (address + position(), one page each) with an OVERLAPPED
 *     object: the segment array is built in a direct buffer owned by that OVERLAPPED, and the
 *     OVERLAPPED also references the buffers, so everything stays valid while the I/O is in
 *     flight - as long as the OVERLAPPED object itself stays reachable until completion;
 *   - zero-copy: a direct segment-array buffer (8 bytes per element, native order, NULL-terminated
 *     by the caller; fill with BufferAddress) with a direct 32-byte OVERLAPPED buffer;
 *   - the same segment-array buffer with an OVERLAPPED object.
 * In every form the caller keeps the OVERLAPPED, the segment array and the pages reachable (and
 * unchanged) until the I/O completes (GetOverlappedResult, the event, or the completion port), as
 * on Windows. An OVERLAPPED object collected or delete()d while its I/O is still pending leaks its
 * 32 bytes instead of freeing memory the library will still write.
 *
 * Built by bindings/java/CMakeLists.txt: swig -java -package io.sgio, output in the build tree.
 */
%module(jniclassname="Win32JNI") Win32

%include "sgio_java_common.swg"

%{
#include "sgio/sgio_win32.h"
#include "sgio/sgio_memory.h"

/* Java's SetLastError: the Win32 code of the last call, taken before anything else can run on this
 * thread (the JVM itself changes errno between a native call and the next Java statement). */
static _Thread_local int32_t sgio_jni_last_error;

/* Second C names for the same functions, so SWIG can wrap a direct-buffer form next to the proxy one. */
#define sgio_jni_WriteFileGatherDirect WriteFileGather
#define sgio_jni_ReadFileScatterDirect ReadFileScatter
#define sgio_jni_GetOverlappedResultDirect GetOverlappedResult
#define sgio_jni_GetOverlappedResultExDirect GetOverlappedResultEx
#define sgio_jni_CancelIoExDirect CancelIoEx
%}

%exception {
  $action
  sgio_jni_last_error = (int32_t)GetLastError();
}

%javaconst(0); /* C literals like 0x80000000u are not Java; the JNI class reads the values once */

/* ---- Scalars ---------------------------------------------------------------------------------- */
%typemap(jni) BOOL "jboolean"
%typemap(jtype) BOOL "boolean"
%typemap(jstype) BOOL "boolean"
%typemap(javain) BOOL "$javainput"
%typemap(javaout) BOOL {
    return $jnicall;
  }
%typemap(in) BOOL %{ $1 = $input ? TRUE : FALSE; %}
%typemap(out) BOOL %{ $result = $1 ? JNI_TRUE : JNI_FALSE; %}

/* Every void* (HANDLE, PVOID, LPVOID, LPCVOID) is an address in a Java long. */
%typemap(jni) void *, const void * "jlong"
%typemap(jtype) void *, const void * "long"
%typemap(jstype) void *, const void * "long"
%typemap(javain) void *, const void * "$javainput"
%typemap(javaout) void *, const void * {
    return $jnicall;
  }
%typemap(in) void *, const void * %{ $1 = ($1_ltype)(uintptr_t)$input; %}
%typemap(out) void *, const void * %{ $result = (jlong)(uintptr_t)$1; %}

/* Pointers that must be NULL (reserved, security attributes) pass through as longs too. */
%typemap(jni) LPDWORD lpReserved, LPSECURITY_ATTRIBUTES "jlong"
%typemap(jtype) LPDWORD lpReserved, LPSECURITY_ATTRIBUTES "long"
%typemap(jstype) LPDWORD lpReserved, LPSECURITY_ATTRIBUTES "long"
%typemap(javain) LPDWORD lpReserved, LPSECURITY_ATTRIBUTES "$javainput"
%typemap(in) LPDWORD lpReserved, LPSECURITY_ATTRIBUTES %{ $1 = ($1_ltype)(uintptr_t)$input; %}
%ignore _SECURITY_ATTRIBUTES;

/* Out-parameters: long[1] or null. */
SGIO_JAVA_OUT(DWORD)
SGIO_JAVA_OUT(ULONG_PTR)
SGIO_JAVA_OUT(ULONG)
%apply DWORD *OUT { LPDWORD lpNumberOfBytesTransferred, LPDWORD lpNumberOfBytesWritten,
                    LPDWORD lpNumberOfBytesRead };
%apply ULONG_PTR *OUT { PULONG_PTR lpCompletionKey };
%apply ULONG *OUT { PULONG ulNumEntriesRemoved };

/* GetQueuedCompletionStatus's LPOVERLAPPED*: the address of the completed OVERLAPPED (compare with
 * OVERLAPPED.address() or BufferAddress(overlappedBuffer)); 0 when no packet was dequeued. */
%typemap(jni) LPOVERLAPPED *lpOverlapped "jlongArray"
%typemap(jtype) LPOVERLAPPED *lpOverlapped "long[]"
%typemap(jstype) LPOVERLAPPED *lpOverlapped "long[]"
%typemap(javain) LPOVERLAPPED *lpOverlapped "$javainput"
%typemap(in) LPOVERLAPPED *lpOverlapped (LPOVERLAPPED temp) {
  if (sgio_jni_check_out(jenv, $input) != 0) return $null;
  temp = NULL;
  $1 = $input ? &temp : NULL;
}
%typemap(argout) LPOVERLAPPED *lpOverlapped %{ sgio_jni_store_out(jenv, $input, (jlong)(uintptr_t)temp$argnum); %}

/* LARGE_INTEGER: a Java long by value, long[1] as out-pointer. */
%ignore _LARGE_INTEGER;
%typemap(jni) LARGE_INTEGER "jlong"
%typemap(jtype) LARGE_INTEGER "long"
%typemap(jstype) LARGE_INTEGER "long"
%typemap(javain) LARGE_INTEGER "$javainput"
%typemap(in) LARGE_INTEGER %{ $1.QuadPart = (LONGLONG)$input; %}
%typemap(jni) PLARGE_INTEGER "jlongArray"
%typemap(jtype) PLARGE_INTEGER "long[]"
%typemap(jstype) PLARGE_INTEGER "long[]"
%typemap(javain) PLARGE_INTEGER "$javainput"
%typemap(in) PLARGE_INTEGER (LARGE_INTEGER temp) {
  if (sgio_jni_check_out(jenv, $input) != 0) return $null;
  temp.QuadPart = 0;
  $1 = $input ? &temp : NULL;
}
%typemap(argout) PLARGE_INTEGER %{ sgio_jni_store_out(jenv, $input, (jlong)temp$argnum.QuadPart); %}

/* UTF-16 strings: Java chars are UTF-16 code units, as WCHAR. null passes NULL. */
%typemap(jni) LPCWSTR "jstring"
%typemap(jtype) LPCWSTR "String"
%typemap(jstype) LPCWSTR "String"
%typemap(javain) LPCWSTR "io.sgio.NativeStrings.noNul($javainput)"
%typemap(in) LPCWSTR {
  if (sgio_jni_utf16_z(jenv, $input, (uint16_t **)&$1) != 0) return $null;
}
%typemap(freearg) LPCWSTR %{ free((void *)$1); %}

/* ---- Buffers ---------------------------------------------------------------------------------- */
/* The segment array as a direct buffer of 8-byte elements (the overloads check its length). */
SGIO_JAVA_DIRECT(FILE_SEGMENT_ELEMENT aSegmentArray[], 0, "segment array")
/* The zero-copy OVERLAPPED: a direct buffer with 32 bytes remaining (null passes NULL). */
SGIO_JAVA_DIRECT(OVERLAPPED *lpOverlappedBuffer, 32, "OVERLAPPED buffer")
/* GetQueuedCompletionStatusEx entries: a direct buffer of 32-byte OVERLAPPED_ENTRY records. */
SGIO_JAVA_DIRECT(LPOVERLAPPED_ENTRY lpCompletionPortEntries, 0, "OVERLAPPED_ENTRY buffer")
%ignore _FILE_SEGMENT_ELEMENT;
%ignore _OVERLAPPED_ENTRY;

/* ---- Names that need Java help ---------------------------------------------------------------- */
%ignore INVALID_HANDLE_VALUE;  /* a cast expression; defined in the module code */
%ignore GetLastError;          /* replaced by the captured value below */
/* The raw gather/scatter wrappers stay private: the public overloads check the segment array's
 * length against the byte count first, so a short array can never be read past its end. */
%rename(WriteFileGatherRaw) WriteFileGather;
%rename(ReadFileScatterRaw) ReadFileScatter;
%javamethodmodifiers WriteFileGather "private";
%javamethodmodifiers ReadFileScatter "private";
%javamethodmodifiers sgio_jni_WriteFileGatherDirect "private";
%javamethodmodifiers sgio_jni_ReadFileScatterDirect "private";
%rename(WriteFileGatherDirectRaw) sgio_jni_WriteFileGatherDirect;
%rename(ReadFileScatterDirectRaw) sgio_jni_ReadFileScatterDirect;
%rename(GetOverlappedResult) sgio_jni_GetOverlappedResultDirect;
%rename(GetOverlappedResultEx) sgio_jni_GetOverlappedResultExDirect;
%rename(CancelIoEx) sgio_jni_CancelIoExDirect;

/* ---- OVERLAPPED ------------------------------------------------------------------------------- */
/* Getters/setters Internal, InternalHigh, Offset, OffsetHigh, HEvent, plus a 64-bit FileOffset. */
%extend _OVERLAPPED {
  ULONGLONG FileOffset;
}
%{
static ULONGLONG _OVERLAPPED_FileOffset_get(OVERLAPPED *o) {
  return ((ULONGLONG)o->OffsetHigh << 32) | o->Offset;
}
static void _OVERLAPPED_FileOffset_set(OVERLAPPED *o, ULONGLONG v) {
  o->Offset = (DWORD)v;
  o->OffsetHigh = (DWORD)(v >> 32);
}
%}
%typemap(javadestruct, methodname="delete", methodmodifiers="public synchronized", parameters="") struct _OVERLAPPED {
    if (swigCPtr != 0) {
      if (swigCMemOwn) {
        swigCMemOwn = false;
        // Still in flight: the library will write Internal/InternalHigh here on completion, so the
        // 32 bytes are leaked rather than handed back to malloc.
        if (getInternal() != Win32.STATUS_PENDING) {
          $jnicall;
        }
      }
      swigCPtr = 0;
    }
  }
%typemap(javacode) struct _OVERLAPPED %{
  /** Size of the C struct (and of a direct OVERLAPPED buffer). */
  public static final int SIZE = 32;
  // What an overlapped gather/scatter with ByteBuffer[] uses, kept reachable through this object
  // while the request may be in flight: the segment array, the caller's buffers, and (for wrap)
  // the direct buffer holding the struct.
  private java.nio.ByteBuffer segmentArray;
  private Object inFlightBuffers;
  private java.nio.ByteBuffer backing;

  /** The address of the C struct, as GetQueuedCompletionStatus reports it. */
  public long address() {
    return swigCPtr;
  }

  /** True while the library reports the request as pending (Internal == STATUS_PENDING). */
  public boolean isPending() {
    return getInternal() == Win32.STATUS_PENDING;
  }

  /**
   * An OVERLAPPED view of a direct buffer with 32 bytes remaining (from its position). The buffer
   * is referenced by the view and owns the memory; delete() does not free it.
   */
  public static OVERLAPPED wrap(java.nio.ByteBuffer buffer) {
    if (buffer == null) throw new NullPointerException("buffer");
    if (buffer.remaining() < SIZE)
      throw new IllegalArgumentException("an OVERLAPPED buffer needs " + SIZE + " bytes remaining");
    OVERLAPPED o = new OVERLAPPED(Win32.BufferAddress(buffer), false);
    o.backing = buffer;
    return o;
  }

  java.nio.ByteBuffer segmentArrayFor(int elements, Object buffers) {
    long bytes = 8L * elements;
    if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("too many segments");
    if (segmentArray == null || segmentArray.capacity() < bytes) {
      segmentArray = java.nio.ByteBuffer.allocateDirect((int) bytes).order(java.nio.ByteOrder.nativeOrder());
    }
    segmentArray.clear();
    inFlightBuffers = buffers;
    return segmentArray;
  }
%}

%include "sgio/sgio_common.h"
%include "sgio/sgio_win32.h"

/* Direct-buffer forms of the calls that take an OVERLAPPED. */
BOOL sgio_jni_WriteFileGatherDirect(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[], DWORD nNumberOfBytesToWrite,
                                    LPDWORD lpReserved, OVERLAPPED *lpOverlappedBuffer);
BOOL sgio_jni_ReadFileScatterDirect(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[], DWORD nNumberOfBytesToRead,
                                    LPDWORD lpReserved, OVERLAPPED *lpOverlappedBuffer);
BOOL sgio_jni_GetOverlappedResultDirect(HANDLE hFile, OVERLAPPED *lpOverlappedBuffer,
                                        LPDWORD lpNumberOfBytesTransferred, BOOL bWait);
BOOL sgio_jni_GetOverlappedResultExDirect(HANDLE hFile, OVERLAPPED *lpOverlappedBuffer,
                                          LPDWORD lpNumberOfBytesTransferred, DWORD dwMilliseconds, BOOL bAlertable);
BOOL sgio_jni_CancelIoExDirect(HANDLE hFile, OVERLAPPED *lpOverlappedBuffer);

/* ---- Helpers (no last-error capture: they make no Win32 call) ---------------------------------- */
%typemap(in, numinputs=0) JNIEnv *jenv_ %{ $1 = jenv; %}
%typemap(jni) jobject buffer "jobject"
%typemap(jtype) jobject buffer "java.nio.ByteBuffer"
%typemap(jstype) jobject buffer "java.nio.ByteBuffer"
%typemap(javain) jobject buffer "$javainput"
%typemap(in) jobject buffer %{ $1 = $input; %}
%typemap(jni) jobjectArray segments "jobjectArray"
%typemap(jtype) jobjectArray segments "java.nio.ByteBuffer[]"
%typemap(jstype) jobjectArray segments "java.nio.ByteBuffer[]"
%typemap(javain) jobjectArray segments "$javainput"
%typemap(in) jobjectArray segments %{ $1 = $input; %}
%typemap(jni) jobject NEWBUFFER "jobject"
%typemap(jtype) jobject NEWBUFFER "java.nio.ByteBuffer"
%typemap(jstype) jobject NEWBUFFER "java.nio.ByteBuffer"
%typemap(javaout) jobject NEWBUFFER {
    java.nio.ByteBuffer b = $jnicall;
    return b == null ? null : b.order(java.nio.ByteOrder.nativeOrder());
  }
%typemap(out) jobject NEWBUFFER %{ $result = $1; %}

%noexception;
%rename(GetLastError) sgio_jni_get_last_error;
%rename(BufferAddress) sgio_jni_buffer_address;
%rename(FillSegmentArray) sgio_jni_fill_segment_array;
%rename(NewDirectByteBuffer) sgio_jni_new_direct_byte_buffer;
%rename(PageSize) sgio_jni_page_size;
%apply jobject NEWBUFFER { jobject sgio_jni_new_direct_byte_buffer };
%inline %{
/* The Win32 code captured right after this thread's last call into the Win32 face. */
static int32_t sgio_jni_get_last_error(void) {
  return sgio_jni_last_error;
}
/* address + position() of a direct buffer (0 for null); IllegalArgumentException for a heap buffer. */
static int64_t sgio_jni_buffer_address(JNIEnv *jenv_, jobject buffer) {
  char *addr;
  if (sgio_jni_direct(jenv_, buffer, 0, "buffer", &addr, NULL) != 0) return 0;
  return (int64_t)(intptr_t)addr;
}
/* Writes the FILE_SEGMENT_ELEMENT array for 'segments' (address + position() of each, then a NULL
 * terminator) into the direct buffer 'buffer' from its position; returns the element count. */
static int64_t sgio_jni_fill_segment_array(JNIEnv *jenv_, jobject buffer, jobjectArray segments) {
  return sgio_jni_fill_pages(jenv_, buffer, segments);
}
/* A direct ByteBuffer over [address, address + capacity): VirtualAlloc memory seen from Java. The
 * buffer does not own the memory; it must not be used after VirtualFree. Native byte order. */
static jobject sgio_jni_new_direct_byte_buffer(JNIEnv *jenv_, int64_t address, int64_t capacity) {
  if (address == 0 || capacity < 0 || capacity > 0x7fffffff) {
    sgio_jni_throw(jenv_, SGIO_JNI_IAE, "NewDirectByteBuffer: address is 0 or capacity is not in 0..Integer.MAX_VALUE");
    return NULL;
  }
  return (*jenv_)->NewDirectByteBuffer(jenv_, (void *)(intptr_t)address, (jlong)capacity);
}
/* The system page size: one FILE_SEGMENT_ELEMENT's worth of bytes. */
static uint32_t sgio_jni_page_size(void) {
  return sgio_page_size();
}
%}

%pragma(java) modulecode=%{
  /** ((HANDLE)-1), what CreateFile returns on failure. */
  public static final long INVALID_HANDLE_VALUE = -1L;
  /** Bytes per FILE_SEGMENT_ELEMENT and per OVERLAPPED_ENTRY record. */
  public static final int FILE_SEGMENT_ELEMENT_SIZE = 8;
  public static final int OVERLAPPED_ENTRY_SIZE = 32;

  private static long pageSize;

  private static long pages(long bytes) {
    long p = pageSize;
    if (p == 0) pageSize = p = PageSize();
    long n = bytes & 0xFFFFFFFFL; // a DWORD; -1 means 0xFFFFFFFF
    return (n + p - 1) / p;
  }

  // The library reads one element per page of the byte count; refuse an array that is shorter,
  // which on Windows would read past its end.
  private static void checkSegmentArray(java.nio.ByteBuffer segmentArray, long bytes) {
    if (segmentArray != null && segmentArray.remaining() / FILE_SEGMENT_ELEMENT_SIZE < pages(bytes))
      throw new IllegalArgumentException("segment array holds " + segmentArray.remaining() / FILE_SEGMENT_ELEMENT_SIZE
          + " elements, the byte count needs " + pages(bytes) + " pages");
  }

  private static java.nio.ByteBuffer segmentArrayOf(java.nio.ByteBuffer[] segments, long bytes, OVERLAPPED ov) {
    if (segments == null) throw new NullPointerException("segments");
    if (segments.length < pages(bytes))
      throw new IllegalArgumentException(segments.length + " segments, the byte count needs " + pages(bytes) + " pages");
    java.nio.ByteBuffer array = ov != null
        ? ov.segmentArrayFor(segments.length + 1, segments)
        : java.nio.ByteBuffer.allocateDirect(8 * (segments.length + 1)).order(java.nio.ByteOrder.nativeOrder());
    FillSegmentArray(array, segments);
    return array;
  }

  /**
   * WriteFileGather with one direct buffer per page (address + position() of each; each must be
   * page-aligned there). The segment array is kept in {@code ov}, which also references the buffers:
   * keep {@code ov} reachable until the write completes. Heap buffers: IllegalArgumentException.
   */
  public static boolean WriteFileGather(long hFile, java.nio.ByteBuffer[] segments, long nNumberOfBytesToWrite,
                                        long lpReserved, OVERLAPPED lpOverlapped) {
    return WriteFileGatherRaw(hFile, segmentArrayOf(segments, nNumberOfBytesToWrite, lpOverlapped),
                              nNumberOfBytesToWrite, lpReserved, lpOverlapped);
  }

  /** ReadFileScatter into one direct buffer per page; see the ByteBuffer[] WriteFileGather. */
  public static boolean ReadFileScatter(long hFile, java.nio.ByteBuffer[] segments, long nNumberOfBytesToRead,
                                        long lpReserved, OVERLAPPED lpOverlapped) {
    return ReadFileScatterRaw(hFile, segmentArrayOf(segments, nNumberOfBytesToRead, lpOverlapped),
                              nNumberOfBytesToRead, lpReserved, lpOverlapped);
  }

  /**
   * WriteFileGather over a caller-built segment array: a direct buffer of 8-byte page addresses
   * (native order, from its position, NULL-terminated by the caller; fill with BufferAddress or
   * FillSegmentArray). Nothing is copied; the array must stay valid until completion.
   */
  public static boolean WriteFileGather(long hFile, java.nio.ByteBuffer aSegmentArray, long nNumberOfBytesToWrite,
                                        long lpReserved, OVERLAPPED lpOverlapped) {
    checkSegmentArray(aSegmentArray, nNumberOfBytesToWrite);
    return WriteFileGatherRaw(hFile, aSegmentArray, nNumberOfBytesToWrite, lpReserved, lpOverlapped);
  }

  public static boolean ReadFileScatter(long hFile, java.nio.ByteBuffer aSegmentArray, long nNumberOfBytesToRead,
                                        long lpReserved, OVERLAPPED lpOverlapped) {
    checkSegmentArray(aSegmentArray, nNumberOfBytesToRead);
    return ReadFileScatterRaw(hFile, aSegmentArray, nNumberOfBytesToRead, lpReserved, lpOverlapped);
  }

  /**
   * Zero-copy WriteFileGather: segment array and OVERLAPPED both in caller-owned direct buffers
   * (the OVERLAPPED one 32 bytes from its position, native order: Internal @0, InternalHigh @8,
   * Offset @16, OffsetHigh @20, hEvent @24). The truly asynchronous form: nothing here is
   * temporary, so the I/O may complete long after this returns; keep both buffers reachable.
   */
  public static boolean WriteFileGather(long hFile, java.nio.ByteBuffer aSegmentArray, long nNumberOfBytesToWrite,
                                        long lpReserved, java.nio.ByteBuffer lpOverlappedBuffer) {
    checkSegmentArray(aSegmentArray, nNumberOfBytesToWrite);
    return WriteFileGatherDirectRaw(hFile, aSegmentArray, nNumberOfBytesToWrite, lpReserved, lpOverlappedBuffer);
  }

  public static boolean ReadFileScatter(long hFile, java.nio.ByteBuffer aSegmentArray, long nNumberOfBytesToRead,
                                        long lpReserved, java.nio.ByteBuffer lpOverlappedBuffer) {
    checkSegmentArray(aSegmentArray, nNumberOfBytesToRead);
    return ReadFileScatterDirectRaw(hFile, aSegmentArray, nNumberOfBytesToRead, lpReserved, lpOverlappedBuffer);
  }
%}
