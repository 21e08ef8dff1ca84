// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_example_win32: the pinvoke.net WriteFileGather sample, in C, on sgio's Win32 face.
 *
 * As the sample advises: the page size comes from GetSystemInfo, the buffers from VirtualAlloc
 * (page-aligned, each a multiple of the page size), and the segment array is built by the
 * sample's loop - one element per page of each buffer, then a NULL terminator. The file is opened
 * FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING; an event in OVERLAPPED reports completion.
 * The data is written with WriteFileGather, read back with ReadFileScatter and compared.
 *
 * Usage: sgio_example_win32 [file] [buffer count] [buffer KiB]. Exit code 0 on success.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sgio/sgio_win32.h>

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The sample's loop: LElements[(i * perBuffer) + p].Buffer = buffers[i] + p * pageSize; then NULL. */
static FILE_SEGMENT_ELEMENT* build_segments(unsigned char** buffers, DWORD count, DWORD size, DWORD page) {
  DWORD per_buffer = size / page;
  FILE_SEGMENT_ELEMENT* elements = calloc((size_t)count * per_buffer + 1, sizeof *elements);
  DWORD i, p;
  if (!elements) return NULL;
  for (i = 0; i < count; i++)
    for (p = 0; p < per_buffer; p++) elements[(i * per_buffer) + p].Buffer = buffers[i] + (size_t)p * page;
  elements[count * per_buffer].Buffer = NULL;
  return elements;
}

/* Starts the request and waits for it; returns the bytes moved, or -1 (printing the error). */
static long long run(const char* what, BOOL started, HANDLE file, OVERLAPPED* ov) {
  DWORD transferred = 0;
  if (!started && GetLastError() != ERROR_IO_PENDING) {
    fprintf(stderr, "%s failed: error %u\n", what, (unsigned)GetLastError());
    return -1;
  }
  if (!GetOverlappedResult(file, ov, &transferred, TRUE)) {
    fprintf(stderr, "%s: GetOverlappedResult failed: error %u\n", what, (unsigned)GetLastError());
    return -1;
  }
  return (long long)transferred;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "sgio_example_win32.dat";
  DWORD count = argc > 2 ? (DWORD)strtoul(argv[2], NULL, 10) : 4;
  DWORD kib = argc > 3 ? (DWORD)strtoul(argv[3], NULL, 10) : 256;
  const char* backend = getenv("SGIO_BACKEND");
  SYSTEM_INFO si;
  DWORD page, size, pages, bytes, i;
  unsigned char **wbufs, **rbufs;
  FILE_SEGMENT_ELEMENT *wseg = NULL, *rseg = NULL;
  HANDLE file, event;
  OVERLAPPED ov;
  double t0, t_write, t_read;
  long long n;
  int rc = 1;

  GetSystemInfo(&si);
  page = si.dwPageSize;
  size = kib * 1024u;
  if (count == 0 || size == 0 || size % page != 0 || (unsigned long long)count * size > 0x7FFFF000ull) {
    fprintf(stderr, "buffer count must be > 0 and buffer size a multiple of %u bytes (total < 2 GiB)\n",
            (unsigned)page);
    return 2;
  }
  pages = count * (size / page);
  bytes = count * size;

  wbufs = calloc(count, sizeof *wbufs);
  rbufs = calloc(count, sizeof *rbufs);
  if (!wbufs || !rbufs) return 1;
  for (i = 0; i < count; i++) {
    DWORD k;
    wbufs[i] = VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    rbufs[i] = VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (!wbufs[i] || !rbufs[i]) {
      fprintf(stderr, "VirtualAlloc failed: error %u\n", (unsigned)GetLastError());
      goto out;
    }
    for (k = 0; k < size; k++) wbufs[i][k] = (unsigned char)(i * 31u + k / page + k);
  }
  wseg = build_segments(wbufs, count, size, page);
  rseg = build_segments(rbufs, count, size, page);
  if (!wseg || !rseg) goto out;

  file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                     FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, NULL);
  if (file == INVALID_HANDLE_VALUE) {
    fprintf(stderr, "CreateFileA(%s) failed: error %u\n", path, (unsigned)GetLastError());
    goto out;
  }
  event = CreateEventW(NULL, TRUE, FALSE, NULL);

  memset(&ov, 0, sizeof ov);
  ov.hEvent = event;
  t0 = now_seconds();
  n = run("WriteFileGather", WriteFileGather(file, wseg, bytes, NULL, &ov), file, &ov);
  t_write = now_seconds() - t0;
  if (n != (long long)bytes) {
    if (n >= 0) fprintf(stderr, "WriteFileGather moved %lld of %u bytes\n", n, (unsigned)bytes);
    goto close;
  }

  memset(&ov, 0, sizeof ov);
  ov.hEvent = event;
  t0 = now_seconds();
  n = run("ReadFileScatter", ReadFileScatter(file, rseg, bytes, NULL, &ov), file, &ov);
  t_read = now_seconds() - t0;
  if (n != (long long)bytes) {
    if (n >= 0) fprintf(stderr, "ReadFileScatter moved %lld of %u bytes\n", n, (unsigned)bytes);
    goto close;
  }
  for (i = 0; i < count; i++) {
    if (memcmp(wbufs[i], rbufs[i], size) != 0) {
      fprintf(stderr, "data mismatch in buffer %u\n", (unsigned)i);
      goto close;
    }
  }
  printf("pages %u (page %u bytes), bytes %u, write %.1f MB/s, read %.1f MB/s, backend %s\n", (unsigned)pages,
         (unsigned)page, (unsigned)bytes, bytes / 1e6 / (t_write > 0 ? t_write : 1e-9),
         bytes / 1e6 / (t_read > 0 ? t_read : 1e-9), backend && *backend ? backend : "auto");
  rc = 0;

close:
  CloseHandle(event);
  CloseHandle(file);
  {
    /* DeleteFileW takes UTF-16: widen the (ASCII or UTF-8 treated bytewise) name for the demo. */
    size_t len = strlen(path), k;
    WCHAR* wide = calloc(len + 1, sizeof *wide);
    if (wide) {
      for (k = 0; k < len; k++) wide[k] = (WCHAR)(unsigned char)path[k];
      if (!DeleteFileW(wide)) fprintf(stderr, "DeleteFileW failed: error %u\n", (unsigned)GetLastError());
      free(wide);
    }
  }
out:
  for (i = 0; i < count; i++) {
    if (wbufs[i]) VirtualFree(wbufs[i], 0, MEM_RELEASE);
    if (rbufs[i]) VirtualFree(rbufs[i], 0, MEM_RELEASE);
  }
  free(wbufs);
  free(rbufs);
  free(wseg);
  free(rseg);
  return rc;
}
