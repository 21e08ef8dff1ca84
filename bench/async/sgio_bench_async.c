// SPDX-License-Identifier: Apache-2.0
/*
 * QD32 direct I/O through sgio_queue against fio's io_uring engine on the same file, and against
 * the synchronous sgio_file_write_gather / sgio_file_read_scatter. Prints MB/s and ratios.
 *
 *   sgio_bench_async [dir] [seconds-per-run] [file-MiB]
 *
 * The file is created once, filled sequentially with 1 MiB direct writes (so every later write is
 * an overwrite of allocated blocks, for sgio and fio alike), and all runs use random 64 KiB-aligned
 * offsets over the whole file. Each pair (sgio, fio) is run twice, interleaved; the better run of
 * each counts.
 */
#define _GNU_SOURCE
#include <sgio/sgio.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_rng.h"

#define QD 32
#define REQ_BYTES (64u * 1024u)
#define PAGE 4096u

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


static void die(const char* what, int32_t st) {
  fprintf(stderr, "%s: %s (%s)\n", what, sgio_error_name(st), sgio_last_error_message());
  exit(1);
}

static sgio_file* open_direct(const char* path) {
  sgio_open_options o;
  sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT;
  sgio_file* f = NULL;
  int32_t st = sgio_file_open(&f, path, &o);
  if (st) die("sgio_file_open", st);
  return f;
}

/* Buffer pool: QD slots of 64 KiB data. Scattered layout takes every other page of a 2x area, so
 * no two segments of a request are adjacent (the kernel cannot merge them). */
static uint8_t* pool_mem;
static sgio_segment segs[QD][16];

static void setup_segments(int scattered) {
  for (int s = 0; s < QD; ++s) {
    for (int p = 0; p < 16; ++p) {
      if (scattered) {
        segs[s][p].buffer = (uint64_t)(uintptr_t)(pool_mem + (size_t)s * 2 * REQ_BYTES + (size_t)p * 2 * PAGE);
        segs[s][p].length = PAGE;
      } else if (p == 0) {
        segs[s][0].buffer = (uint64_t)(uintptr_t)(pool_mem + (size_t)s * 2 * REQ_BYTES);
        segs[s][0].length = REQ_BYTES;
      }
    }
  }
}

/* MB/s of QD32 requests through one sgio queue for `seconds`. */
static double run_queue(sgio_file* f, uint64_t file_bytes, uint32_t backend, uint32_t op, int scattered,
                        double seconds) {
  setup_segments(scattered);
  sgio_queue_options qo;
  sgio_queue_options_init(&qo, SGIO_QUEUE_OPTIONS_VERSION);
  qo.depth = QD;
  qo.backend = backend;
  sgio_queue* q = NULL;
  int32_t st = sgio_queue_create(&q, &qo);
  if (st) die("sgio_queue_create", st);
  uint64_t slots = file_bytes / REQ_BYTES;
  sgio_request reqs[QD];
  memset(reqs, 0, sizeof reqs);
  for (int s = 0; s < QD; ++s) {
    reqs[s].file = f;
    reqs[s].segments = (uint64_t)(uintptr_t)segs[s];
    reqs[s].count = scattered ? 16 : 1;
    reqs[s].op = op;
    reqs[s].offset = (rnd() % slots) * REQ_BYTES;
    reqs[s].user_data = (uint64_t)s;
  }
  uint64_t bytes = 0;
  double start = now_s(), end = start + seconds;
  if ((st = sgio_queue_submit(q, reqs, QD, NULL))) die("sgio_queue_submit", st);
  int inflight = QD;
  sgio_completion c[QD];
  sgio_request again[QD];
  while (inflight > 0) {
    uint32_t n = 0;
    if ((st = sgio_queue_wait(q, c, QD, 1, UINT32_MAX, &n))) die("sgio_queue_wait", st);
    inflight -= (int)n;
    uint32_t k = 0;
    int more = now_s() < end;
    for (uint32_t i = 0; i < n; ++i) {
      if (c[i].status) die("completion", c[i].status);
      bytes += c[i].bytes;
      if (more) {
        again[k] = reqs[c[i].user_data];
        again[k].offset = (rnd() % slots) * REQ_BYTES;
        ++k;
      }
    }
    if (k) {
      if ((st = sgio_queue_submit(q, again, k, NULL))) die("sgio_queue_submit", st);
      inflight += (int)k;
    }
  }
  double secs = now_s() - start;
  sgio_queue_free(q);
  return (double)bytes / secs / 1e6;
}

/* MB/s of the synchronous gather calls, one at a time. */
static double run_sync(sgio_file* f, uint64_t file_bytes, uint32_t op, double seconds) {
  setup_segments(1);
  uint64_t slots = file_bytes / REQ_BYTES, bytes = 0;
  double start = now_s(), end = start + seconds;
  while (now_s() < end) {
    uint64_t done = 0;
    uint64_t off = (rnd() % slots) * REQ_BYTES;
    int32_t st = op == SGIO_OP_WRITE_GATHER ? sgio_file_write_gather(f, segs[0], 16, off, &done)
                                            : sgio_file_read_scatter(f, segs[0], 16, off, &done);
    if (st) die("sync gather", st);
    bytes += done;
  }
  return (double)bytes / (now_s() - start) / 1e6;
}

/* fio's io_uring engine, QD32 direct 64 KiB random I/O on the same file; MB/s from its JSON. */
static double run_fio(const char* path, uint64_t file_bytes, const char* rw, double seconds) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "fio --name=qd32 --filename=%s --ioengine=io_uring --direct=1 --rw=%s --bs=64k --iodepth=32 "
           "--size=%" PRIu64 " --time_based --runtime=%.0f --norandommap --randrepeat=0 "
           "--output-format=json 2>/dev/null",
           path, rw, file_bytes, seconds);
  FILE* p = popen(cmd, "r");
  if (!p) return -1;
  static char out[1 << 20];
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = 0;
  pclose(p);
  const char* section = strstr(out, strcmp(rw, "randread") == 0 ? "\"read\" :" : "\"write\" :");
  const char* bw = section ? strstr(section, "\"bw_bytes\" :") : NULL;
  if (!bw) {
    fprintf(stderr, "could not parse fio output\n");
    return -1;
  }
  return strtod(bw + strlen("\"bw_bytes\" :"), NULL) / 1e6;
}

static double best(double a, double b) { return a > b ? a : b; }

int main(int argc, char** argv) {
  const char* dir = argc > 1 ? argv[1] : ".";
  double seconds = argc > 2 ? atof(argv[2]) : 5;
  uint64_t file_mib = argc > 3 ? strtoull(argv[3], NULL, 10) : 1024;
  uint64_t file_bytes = file_mib << 20;
  char path[4096];
  snprintf(path, sizeof path, "%s/sgio-bench-async.dat", dir);
  if (posix_memalign((void**)&pool_mem, 2u << 20, (size_t)QD * 2 * REQ_BYTES)) return 1;
  memset(pool_mem, 0x5a, (size_t)QD * 2 * REQ_BYTES);

  sgio_file* f = open_direct(path);
  { /* sequential fill: every block allocated and written once */
    uint8_t* fill;
    if (posix_memalign((void**)&fill, 4096, 1u << 20)) return 1;
    memset(fill, 0xa5, 1u << 20);
    sgio_segment s = {(uint64_t)(uintptr_t)fill, 1u << 20};
    for (uint64_t off = 0; off < file_bytes; off += 1u << 20) {
      uint64_t w;
      int32_t st = sgio_file_write_gather(f, &s, 1, off, &w);
      if (st) die("fill", st);
    }
    sgio_file_flush(f);
    free(fill);
  }
  printf("file %s, %" PRIu64 " MiB, QD%d, %.0f s per run, random 64 KiB-aligned offsets, direct I/O\n", path, file_mib,
         QD, seconds);
  printf("%-44s %10s %10s %8s\n", "case", "sgio MB/s", "fio MB/s", "ratio");
  struct {
    const char* name;
    uint32_t op;
    int scattered;
    const char* fio_rw;
  } cases[] = {
      {"write 16x4 KiB scattered gathers (uring)", SGIO_OP_WRITE_GATHER, 1, "randwrite"},
      {"write 64 KiB contiguous (uring)", SGIO_OP_WRITE_GATHER, 0, "randwrite"},
      {"read 16x4 KiB scattered (uring)", SGIO_OP_READ_SCATTER, 1, "randread"},
      {"read 64 KiB contiguous (uring)", SGIO_OP_READ_SCATTER, 0, "randread"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    double s1 = run_queue(f, file_bytes, SGIO_BACKEND_URING, cases[i].op, cases[i].scattered, seconds);
    double f1 = run_fio(path, file_bytes, cases[i].fio_rw, seconds);
    double s2 = run_queue(f, file_bytes, SGIO_BACKEND_URING, cases[i].op, cases[i].scattered, seconds);
    double f2 = run_fio(path, file_bytes, cases[i].fio_rw, seconds);
    double s = best(s1, s2), fb = best(f1, f2);
    printf("%-44s %10.1f %10.1f %7.3fx\n", cases[i].name, s, fb, fb > 0 ? s / fb : 0);
    fflush(stdout);
  }
  /* The other backends and the sync call, against the same fio figure for 64 KiB random writes. */
  double fio_w = run_fio(path, file_bytes, "randwrite", seconds);
  double fio_r = run_fio(path, file_bytes, "randread", seconds);
  double pool_w = run_queue(f, file_bytes, SGIO_BACKEND_POOL, SGIO_OP_WRITE_GATHER, 1, seconds);
  double sync_w = run_sync(f, file_bytes, SGIO_OP_WRITE_GATHER, seconds);
  double sync_r = run_sync(f, file_bytes, SGIO_OP_READ_SCATTER, seconds);
  double uring_w = run_queue(f, file_bytes, SGIO_BACKEND_URING, SGIO_OP_WRITE_GATHER, 1, seconds);
  printf("%-44s %10.1f %10.1f %7.3fx\n", "write 16x4 KiB gathers (pool backend)", pool_w, fio_w, pool_w / fio_w);
  printf("%-44s %10.1f %10.1f %7.3fx\n", "write 16x4 KiB sync write_gather, QD1", sync_w, fio_w, sync_w / fio_w);
  printf("%-44s %10.1f %10.1f %7.3fx\n", "read 16x4 KiB sync read_scatter, QD1", sync_r, fio_r, sync_r / fio_r);
  printf("queue (uring) vs sync write_gather, 16x4 KiB: %.2fx\n", uring_w / sync_w);
  sgio_file_close(f);
  remove(path);
  return 0;
}
