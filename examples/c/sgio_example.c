// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_example.c - the native face in one page: open a file for direct (unbuffered) I/O, write
 * pages from several buffers with ONE gather call, read them back into different buffers with ONE
 * scatter call, and check them.
 *
 *   sgio_example_c [path]      (default: ./sgio_example.dat; the file is removed at the end)
 *
 * Exits 0 on success, 1 on any failure (with sgio's message for it).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sgio/sgio.h>

enum { PAGES = 256 }; /* 256 pages of 4 KiB: 1 MiB per call */

/* Print what failed, with the library's specific message (which argument, which segment, errno). */
static int fail(const char* what, int32_t status) {
  fprintf(stderr, "%s failed: %s (%s): %s\n", what, sgio_error_name(status), sgio_strerror(status),
          sgio_last_error_message());
  return 1;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "sgio_example.dat";
  const uint32_t page = sgio_page_size();
  const uint64_t total = (uint64_t)PAGES * page;
  sgio_file* file = NULL;
  void* out_block = NULL;
  void* in_block = NULL;
  sgio_segment out_segs[PAGES], in_segs[PAGES];
  uint64_t written = 0, read = 0;
  uint32_t mem_align = 0, off_align = 0;
  int32_t rc;
  int result = 1;
  double w0, w1, r0, r1;

  /* 1. Open (create or truncate) for reading and writing, bypassing the page cache. */
  sgio_open_options opts;
  if ((rc = sgio_open_options_init(&opts, SGIO_OPEN_OPTIONS_VERSION)) != SGIO_OK) return fail("sgio_open_options_init", rc);
  opts.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_TRUNCATE | SGIO_OPEN_DIRECT;
  if ((rc = sgio_file_open(&file, path, &opts)) != SGIO_OK) return fail("sgio_file_open", rc);

  /* 2. Direct I/O needs aligned buffer addresses, lengths and offsets: ask the file system. */
  if ((rc = sgio_file_alignment(file, &mem_align, &off_align)) != SGIO_OK) {
    fail("sgio_file_alignment", rc);
    goto done;
  }
  if (mem_align > page || page % off_align != 0) { /* whole pages satisfy every usual device */
    fprintf(stderr, "this file system needs alignment %u/%u, beyond one page\n", mem_align, off_align);
    goto done;
  }

  /* 3. Page-aligned, zero-filled memory: one block to write from, one to read into. */
  if ((rc = sgio_aligned_alloc(&out_block, total, page)) != SGIO_OK ||
      (rc = sgio_aligned_alloc(&in_block, total, page)) != SGIO_OK) {
    fail("sgio_aligned_alloc", rc);
    goto done;
  }

  /* 4. The gather list: the out block's pages in reverse order, each page stamped with its
   *    position in the file, so the file holds page 0, 1, 2... taken from all over memory. */
  for (uint32_t i = 0; i < PAGES; ++i) {
    unsigned char* p = (unsigned char*)out_block + (uint64_t)(PAGES - 1 - i) * page;
    for (uint32_t b = 0; b < page; ++b) p[b] = (unsigned char)(i * 7 + b);
    out_segs[i].buffer = (uint64_t)(uintptr_t)p;
    out_segs[i].length = page;
  }

  /* 5. ONE call writes all 256 segments to consecutive bytes at offset 0. It writes everything
   *    or fails; on failure `written` says how much reached the file. */
  w0 = now_seconds();
  rc = sgio_file_write_gather(file, out_segs, PAGES, 0, &written);
  w1 = now_seconds();
  if (rc != SGIO_OK) {
    fail("sgio_file_write_gather", rc);
    goto done;
  }

  /* 6. ONE call reads them back into the in block's pages, in interleaved order (even pages
   *    first, then odd ones): a different layout than the one written from. */
  for (uint32_t i = 0; i < PAGES; ++i) {
    uint32_t slot = i < PAGES / 2 ? 2 * i : 2 * (i - PAGES / 2) + 1;
    in_segs[i].buffer = (uint64_t)(uintptr_t)((unsigned char*)in_block + (uint64_t)slot * page);
    in_segs[i].length = page;
  }
  r0 = now_seconds();
  rc = sgio_file_read_scatter(file, in_segs, PAGES, 0, &read);
  r1 = now_seconds();
  if (rc != SGIO_OK) {
    fail("sgio_file_read_scatter", rc);
    goto done;
  }

  /* 7. Every page read must equal the page written at the same file position. */
  if (written != total || read != total) {
    fprintf(stderr, "short transfer: wrote %llu, read %llu of %llu bytes\n", (unsigned long long)written,
            (unsigned long long)read, (unsigned long long)total);
    goto done;
  }
  for (uint32_t i = 0; i < PAGES; ++i) {
    if (memcmp((const void*)(uintptr_t)in_segs[i].buffer, (const void*)(uintptr_t)out_segs[i].buffer, page) != 0) {
      fprintf(stderr, "page %u differs after the round trip\n", i);
      goto done;
    }
  }

  printf("sgio %s: %u segments x %u bytes = %llu bytes in one gather and one scatter\n", sgio_version_string(),
         (unsigned)PAGES, page, (unsigned long long)total);
  printf("mode: sync pwritev/preadv, O_DIRECT; alignment: memory %u, offset/length %u\n", mem_align, off_align);
  printf("write %.1f MB/s, read %.1f MB/s (one call each); verified OK\n",
         (double)total / 1e6 / (w1 - w0 > 0 ? w1 - w0 : 1e-9), (double)total / 1e6 / (r1 - r0 > 0 ? r1 - r0 : 1e-9));
  result = 0;

done:
  /* 8. Close the handle (NULL is fine), free the blocks (NULL is fine), remove the file. */
  if ((rc = sgio_file_close(file)) != SGIO_OK) result = fail("sgio_file_close", rc);
  sgio_aligned_free(out_block);
  sgio_aligned_free(in_block);
  if (file && unlink(path) != 0) {
    perror("unlink");
    result = 1;
  }
  return result;
}
