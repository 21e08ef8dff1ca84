// SPDX-License-Identifier: Apache-2.0
/*
 * A C99 program written as a Windows program would be: its own HANDLE/DWORD/OVERLAPPED/
 * FILE_SEGMENT_ELEMENT/SYSTEM_INFO declarations, no sgio header, and every function found with
 * dlopen + dlsym. It runs Wine's test_WriteFileGather scenario and the documented error cases.
 * Usage: sgio_test_win32_dlopen <path to libsgio.so> <scratch directory>. Exit code = failures.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int32_t BOOL;
typedef uint32_t DWORD;
typedef uint16_t WORD;
typedef uintptr_t ULONG_PTR;
typedef void* HANDLE;
typedef uint64_t ULONGLONG;

typedef union {
  void* Buffer;
  ULONGLONG Alignment;
} FILE_SEGMENT_ELEMENT;

typedef struct {
  ULONG_PTR Internal;
  ULONG_PTR InternalHigh;
  DWORD Offset;
  DWORD OffsetHigh;
  HANDLE hEvent;
} OVERLAPPED;

typedef struct {
  WORD wProcessorArchitecture;
  WORD wReserved;
  DWORD dwPageSize;
  void* lpMinimumApplicationAddress;
  void* lpMaximumApplicationAddress;
  ULONG_PTR dwActiveProcessorMask;
  DWORD dwNumberOfProcessors;
  DWORD dwProcessorType;
  DWORD dwAllocationGranularity;
  WORD wProcessorLevel;
  WORD wProcessorRevision;
} SYSTEM_INFO;

#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define CREATE_ALWAYS 2u
#define OPEN_EXISTING 3u
#define FILE_ATTRIBUTE_NORMAL 0x80u
#define FILE_SHARE_READ 0x1u
#define FILE_SHARE_WRITE 0x2u
#define FILE_FLAG_OVERLAPPED 0x40000000u
#define FILE_FLAG_NO_BUFFERING 0x20000000u
#define MEM_COMMIT 0x1000u
#define MEM_RELEASE 0x8000u
#define PAGE_READWRITE 0x04u
#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1u
#define ERROR_ACCESS_DENIED 5u
#define ERROR_INVALID_HANDLE 6u
#define ERROR_HANDLE_EOF 38u
#define ERROR_INVALID_PARAMETER 87u
#define WAIT_TIMEOUT 258u
#define ERROR_IO_INCOMPLETE 996u
#define ERROR_IO_PENDING 997u
#define ERROR_NOT_FOUND 1168u

static HANDLE (*pCreateFileA)(const char*, DWORD, DWORD, void*, DWORD, DWORD, HANDLE);
static BOOL (*pCloseHandle)(HANDLE);
static HANDLE (*pCreateIoCompletionPort)(HANDLE, HANDLE, ULONG_PTR, DWORD);
static HANDLE (*pCreateEventW)(void*, BOOL, BOOL, const uint16_t*);
static BOOL (*pWriteFileGather)(HANDLE, FILE_SEGMENT_ELEMENT*, DWORD, DWORD*, OVERLAPPED*);
static BOOL (*pReadFileScatter)(HANDLE, FILE_SEGMENT_ELEMENT*, DWORD, DWORD*, OVERLAPPED*);
static BOOL (*pGetQueuedCompletionStatus)(HANDLE, DWORD*, ULONG_PTR*, OVERLAPPED**, DWORD);
static BOOL (*pGetOverlappedResult)(HANDLE, OVERLAPPED*, DWORD*, BOOL);
static BOOL (*pSetFileCompletionNotificationModes)(HANDLE, unsigned char);
static BOOL (*pCancelIoEx)(HANDLE, OVERLAPPED*);
static DWORD (*pGetLastError)(void);
static void* (*pVirtualAlloc)(void*, size_t, DWORD, DWORD);
static BOOL (*pVirtualFree)(void*, size_t, DWORD);
static void (*pGetSystemInfo)(SYSTEM_INFO*);

static int failures = 0;

#define ok(cond, ...)                                      \
  do {                                                     \
    if (!(cond)) {                                         \
      fprintf(stderr, "%s:%d: FAILED %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
      ++failures;                                          \
    }                                                      \
  } while (0)

/* A failed call: GetLastError() and errno both equal `code` (errno read first). */
#define ok_fail(call, code)                                                                     \
  do {                                                                                          \
    BOOL r_ = (call);                                                                           \
    int e_ = errno;                                                                             \
    DWORD g_ = pGetLastError();                                                                 \
    ok(r_ == 0 && g_ == (code) && e_ == (int)(code), "%s: got %d, last error %u, errno %d, want %u", #call, \
       (int)r_, (unsigned)g_, e_, (unsigned)(code));                                            \
  } while (0)

static void* sym(void* lib, const char* name) {
  void* p = dlsym(lib, name);
  if (!p) {
    fprintf(stderr, "dlsym(%s): %s\n", name, dlerror());
    exit(100);
  }
  return p;
}

static void wine_scenario(const char* path) {
  SYSTEM_INFO si;
  DWORD page, size = 0, tx = 0, err, i;
  ULONG_PTR key = 0;
  OVERLAPPED ovl, *povl = NULL;
  FILE_SEGMENT_ELEMENT fse[2];
  unsigned char *wbuf, *rbuf1, *rbuf2;
  HANDLE hfile, hiocp1, hiocp2, evt;
  BOOL br;

  pGetSystemInfo(&si);
  page = si.dwPageSize;
  hfile = pCreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED | FILE_ATTRIBUTE_NORMAL, NULL);
  ok(hfile != INVALID_HANDLE_VALUE, "CreateFileA: %u", (unsigned)pGetLastError());
  if (hfile == INVALID_HANDLE_VALUE) return;
  hiocp1 = pCreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 999, 0);
  hiocp2 = pCreateIoCompletionPort(hfile, hiocp1, 999, 0);
  ok(hiocp1 != NULL && hiocp2 != NULL, "CreateIoCompletionPort: %u", (unsigned)pGetLastError());
  evt = pCreateEventW(NULL, 1, 0, NULL);
  ok(evt != NULL, "CreateEventW");
  wbuf = pVirtualAlloc(NULL, page, MEM_COMMIT, PAGE_READWRITE);
  rbuf1 = pVirtualAlloc(NULL, page, MEM_COMMIT, PAGE_READWRITE);
  rbuf2 = pVirtualAlloc(NULL, page, MEM_COMMIT, PAGE_READWRITE);
  ok(wbuf && rbuf1 && rbuf2, "VirtualAlloc");
  memset(fse, 0, sizeof fse);

  /* 1: write one page */
  memset(wbuf, 0x42, page);
  fse[0].Buffer = wbuf;
  memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = pWriteFileGather(hfile, fse, page, NULL, &ovl);
  if (!br) ok(pGetLastError() == ERROR_IO_PENDING, "WriteFileGather: %u", (unsigned)pGetLastError());
  br = pGetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  ok(br && povl == &ovl && key == 999, "GQCS after write: %d %p", (int)br, (void*)povl);
  br = pGetOverlappedResult(hfile, &ovl, &tx, 1);
  ok(br && tx == page, "GetOverlappedResult after write: %d %u", (int)br, (unsigned)tx);

  /* 2: read exactly, asynchronously */
  memset(rbuf1, 0, page);
  fse[0].Buffer = rbuf1;
  memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = pReadFileScatter(hfile, fse, page, NULL, &ovl);
  ok(!br && pGetLastError() == ERROR_IO_PENDING, "ReadFileScatter should be asynchronous: %u",
     (unsigned)pGetLastError());
  br = pGetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  ok(br && povl == &ovl, "GQCS after read");
  br = pGetOverlappedResult(hfile, &ovl, &tx, 1);
  ok(br && tx == page, "GetOverlappedResult after read: %u", (unsigned)tx);
  ok(memcmp(rbuf1, wbuf, page) == 0, "data read back");

  /* 3: start at end of file */
  memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  ovl.Offset = page;
  br = pReadFileScatter(hfile, fse, page, NULL, &ovl);
  err = pGetLastError();
  ok(!br && (err == ERROR_HANDLE_EOF || err == ERROR_IO_PENDING), "read at EOF: %d %u", (int)br, (unsigned)err);
  if (err == ERROR_IO_PENDING) {
    br = pGetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
    ok(!br && pGetLastError() == ERROR_HANDLE_EOF && povl == &ovl, "GQCS at EOF: %u", (unsigned)pGetLastError());
    br = pGetOverlappedResult(hfile, &ovl, &tx, 1);
    ok(!br && pGetLastError() == ERROR_HANDLE_EOF, "GetOverlappedResult at EOF: %u", (unsigned)pGetLastError());
  } else {
    br = pGetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 100);
    ok(!br && pGetLastError() == WAIT_TIMEOUT && povl == NULL, "no packet for an immediate EOF");
  }

  /* 4: read past end of file */
  memset(rbuf1, 0, page);
  memset(rbuf2, 0x17, page);
  fse[0].Buffer = rbuf1;
  fse[1].Buffer = rbuf2;
  memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = pReadFileScatter(hfile, fse, page * 2, NULL, &ovl);
  ok(!br && pGetLastError() == ERROR_IO_PENDING, "read past EOF pending: %u", (unsigned)pGetLastError());
  br = pGetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  ok(br && povl == &ovl, "GQCS past EOF");
  br = pGetOverlappedResult(hfile, &ovl, &tx, 1);
  ok(br && tx == page, "short read past EOF: %d %u", (int)br, (unsigned)tx);
  ok(memcmp(rbuf1, wbuf, page) == 0, "rbuf1 data");
  for (i = 0; i < page; i++)
    if (rbuf2[i] != 0x17) break;
  ok(i == page, "rbuf2 untouched (changed at %u)", (unsigned)i);

  /* 5: half a page */
  memset(rbuf1, 0, page);
  fse[0].Buffer = rbuf1;
  fse[1].Buffer = NULL;
  memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = pReadFileScatter(hfile, fse, page / 2, NULL, &ovl);
  ok(!br && pGetLastError() == ERROR_IO_PENDING, "partial page pending");
  br = pGetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  ok(br && povl == &ovl, "GQCS partial page");
  br = pGetOverlappedResult(hfile, &ovl, &tx, 1);
  ok(br && tx == page / 2, "partial page count %u", (unsigned)tx);
  ok(memcmp(rbuf1, wbuf, page / 2) == 0, "partial page data");
  for (i = page / 2; i < page; i++)
    if (rbuf1[i] != 0) break;
  ok(i == page, "rest of rbuf1 untouched (changed at %u)", (unsigned)i);

  /* 6: skip-on-success does not affect a scatter */
  ok(pSetFileCompletionNotificationModes(hfile, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS), "modes");
  memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = pReadFileScatter(hfile, fse, page, NULL, &ovl);
  ok(!br && pGetLastError() == ERROR_IO_PENDING, "scatter after modes pending");
  br = pGetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  ok(br && povl == &ovl, "GQCS after modes");
  br = pGetOverlappedResult(hfile, &ovl, &tx, 1);
  ok(br && tx == page, "count after modes");
  ok(pCloseHandle(hfile), "CloseHandle");

  /* 7: the handle must be overlapped */
  hfile = pCreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_NO_BUFFERING, NULL);
  ok(hfile != INVALID_HANDLE_VALUE, "reopen");
  memset(&ovl, 0, sizeof ovl);
  ok_fail(pReadFileScatter(hfile, fse, page, NULL, &ovl), ERROR_INVALID_PARAMETER);
  ok(pCloseHandle(hfile), "CloseHandle");

  /* error cases */
  hfile = pCreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                       FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED, NULL);
  memset(&ovl, 0, sizeof ovl);
  fse[0].Buffer = wbuf;
  fse[1].Buffer = NULL;
  {
    DWORD reserved = 0;
    FILE_SEGMENT_ELEMENT bad[2];
    HANDLE ro;
    ok_fail(pWriteFileGather(hfile, fse, page, &reserved, &ovl), ERROR_INVALID_PARAMETER);
    ok_fail(pWriteFileGather(hfile, fse, page, NULL, NULL), ERROR_INVALID_PARAMETER);
    ok_fail(pWriteFileGather(hfile, fse, 100, NULL, &ovl), ERROR_INVALID_PARAMETER);
    ovl.Offset = 100;
    ok_fail(pWriteFileGather(hfile, fse, page, NULL, &ovl), ERROR_INVALID_PARAMETER);
    ovl.Offset = 0;
    bad[0].Buffer = wbuf + 512;
    bad[1].Buffer = NULL;
    ok_fail(pWriteFileGather(hfile, bad, page, NULL, &ovl), ERROR_INVALID_PARAMETER);
    ok_fail(pReadFileScatter(hfile, bad, page, NULL, &ovl), ERROR_INVALID_PARAMETER);
    ok_fail(pWriteFileGather(INVALID_HANDLE_VALUE, fse, page, NULL, &ovl), ERROR_INVALID_HANDLE);
    ok_fail(pWriteFileGather((HANDLE)(uintptr_t)0x5550, fse, page, NULL, &ovl), ERROR_INVALID_HANDLE);
    ok_fail(pCancelIoEx(hfile, &ovl), ERROR_NOT_FOUND);
    ok_fail(pGetOverlappedResult(evt, &ovl, &tx, 0), ERROR_INVALID_HANDLE);
    /* Beside hfile (which shares reading): this open must share hfile's reading and writing. */
    ro = pCreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                      FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED, NULL);
    ok_fail(pWriteFileGather(ro, fse, page, NULL, &ovl), ERROR_ACCESS_DENIED);
    ok(pCloseHandle(ro), "CloseHandle ro");
    ok_fail(pCloseHandle(ro), ERROR_INVALID_HANDLE);
    ok_fail(pVirtualFree(wbuf, page, MEM_RELEASE), ERROR_INVALID_PARAMETER);
    ok(pGetQueuedCompletionStatus(hiocp1, &size, &key, &povl, 0) == 0 && pGetLastError() == WAIT_TIMEOUT &&
           povl == NULL, "port is empty");
  }
  ok(pCloseHandle(hfile), "CloseHandle");
  ok(pCloseHandle(evt), "CloseHandle evt");
  ok(pCloseHandle(hiocp1), "CloseHandle port");
  ok(pVirtualFree(wbuf, 0, MEM_RELEASE), "VirtualFree");
  ok(pVirtualFree(rbuf1, 0, MEM_RELEASE), "VirtualFree");
  ok(pVirtualFree(rbuf2, 0, MEM_RELEASE), "VirtualFree");
}

int main(int argc, char** argv) {
  void* lib;
  char path[4096];
  if (argc != 3) {
    fprintf(stderr, "usage: %s <libsgio.so> <scratch dir>\n", argv[0]);
    return 100;
  }
  lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 100;
  }
  *(void**)&pCreateFileA = sym(lib, "CreateFileA");
  *(void**)&pCloseHandle = sym(lib, "CloseHandle");
  *(void**)&pCreateIoCompletionPort = sym(lib, "CreateIoCompletionPort");
  *(void**)&pCreateEventW = sym(lib, "CreateEventW");
  *(void**)&pWriteFileGather = sym(lib, "WriteFileGather");
  *(void**)&pReadFileScatter = sym(lib, "ReadFileScatter");
  *(void**)&pGetQueuedCompletionStatus = sym(lib, "GetQueuedCompletionStatus");
  *(void**)&pGetOverlappedResult = sym(lib, "GetOverlappedResult");
  *(void**)&pSetFileCompletionNotificationModes = sym(lib, "SetFileCompletionNotificationModes");
  *(void**)&pCancelIoEx = sym(lib, "CancelIoEx");
  *(void**)&pGetLastError = sym(lib, "GetLastError");
  *(void**)&pVirtualAlloc = sym(lib, "VirtualAlloc");
  *(void**)&pVirtualFree = sym(lib, "VirtualFree");
  *(void**)&pGetSystemInfo = sym(lib, "GetSystemInfo");

  snprintf(path, sizeof path, "%s/dlopen-wine-%ld.dat", argv[2], (long)getpid());
  wine_scenario(path);
  unlink(path);
  printf("%d failure(s)\n", failures);
  return failures;
}
