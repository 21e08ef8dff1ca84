// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_bench_sync - sgio's synchronous gather/scatter against a raw pwritev/preadv loop.
 *
 *   sgio_bench_sync [--file PATH] [--rounds N] [--buffered-mib M] [--direct-mib M] [--only TEXT]
 *
 * For each case (write/read x 16/256 segments of 4 KiB x buffered/direct) the two contenders run
 * the same operations - same buffers, same file descriptor, same offsets - alternately in rounds
 * (A B, B A, A B, ...; many short rounds), so drift in the machine (writeback, disk cache, frequency) hits both alike.
 * Each round moves M MiB per contender, walking the file sequentially from a per-round start.
 *
 * Segments are every other 4 KiB page of one page-aligned pool: never adjacent, so sgio cannot
 * merge them and both contenders issue the identical system calls; the ratio is sgio's overhead.
 *
 * File fill (fixed, because buffered-write speed depends on it through the page-cache folio size):
 * the file is created empty, filled with 256 MiB by sequential 1 MiB pwrite() calls (byte 0x5A),
 * and fdatasync()ed. Buffered cases then overwrite/read those cached pages; direct cases bypass
 * the cache.
 *
 * Prints MB/s (10^6 bytes per second) for both, the ratio of totals (sgio / raw), the median of
 * the per-round ratios, the ratio of the fastest rounds (the least disturbed: robust on a shared
 * machine), and thread CPU time per call for both.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <sgio/sgio.h>

#define FILE_BYTES (256ull << 20)
#define PAGE 4096u
#define MAX_SEGS 256u

static double clock_seconds(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
static double now(void) { return clock_seconds(CLOCK_MONOTONIC); }
static double cpu_now(void) { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }

/* Wall and CPU seconds of one contender's round. */
struct timing {
  double wall, cpu;
};

static void die_sgio(const char* what, int32_t rc) {
  fprintf(stderr, "%s: %s: %s\n", what, sgio_error_name(rc), sgio_last_error_message());
  exit(1);
}

static void die(const char* what) {
  perror(what);
  exit(1);
}

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

struct bench_case {
  const char* name;
  int write;
  int direct;
  uint32_t segs;
};

struct ctx {
  sgio_file* file; /* the sgio handle */
  int fd;          /* its descriptor: the raw loop uses the very same one */
  sgio_segment segs[MAX_SEGS];
  struct iovec iov[MAX_SEGS];
};

/* One contender's round: `ops` gathers/scatters from `start`, sequential, wrapping in the file. */
static struct timing run_raw(const struct ctx* c, const struct bench_case* bc, uint64_t start, uint64_t ops) {
  const uint64_t bytes = (uint64_t)bc->segs * PAGE;
  double c0 = cpu_now(), t0 = now();
  for (uint64_t i = 0; i < ops; ++i) {
    off_t off = (off_t)((start + i * bytes) % FILE_BYTES);
    ssize_t r = bc->write ? pwritev(c->fd, c->iov, (int)bc->segs, off) : preadv(c->fd, c->iov, (int)bc->segs, off);
    if (r != (ssize_t)bytes) die(bc->write ? "pwritev" : "preadv");
  }
  struct timing t = {now() - t0, 0};
  t.cpu = cpu_now() - c0;
  return t;
}

static struct timing run_sgio(const struct ctx* c, const struct bench_case* bc, uint64_t start, uint64_t ops) {
  const uint64_t bytes = (uint64_t)bc->segs * PAGE;
  double c0 = cpu_now(), t0 = now();
  for (uint64_t i = 0; i < ops; ++i) {
    uint64_t off = (start + i * bytes) % FILE_BYTES, n = 0;
    int32_t rc = bc->write ? sgio_file_write_gather(c->file, c->segs, bc->segs, off, &n)
                           : sgio_file_read_scatter(c->file, c->segs, bc->segs, off, &n);
    if (rc != SGIO_OK || n != bytes) die_sgio(bc->write ? "sgio_file_write_gather" : "sgio_file_read_scatter", rc);
  }
  struct timing t = {now() - t0, 0};
  t.cpu = cpu_now() - c0;
  return t;
}

static void fill_file(const char* path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) die("open");
  char* chunk = malloc(1u << 20);
  if (!chunk) die("malloc");
  memset(chunk, 0x5A, 1u << 20);
  for (uint64_t off = 0; off < FILE_BYTES; off += 1u << 20)
    if (pwrite(fd, chunk, 1u << 20, (off_t)off) != (ssize_t)(1u << 20)) die("pwrite (fill)");
  if (fdatasync(fd) != 0) die("fdatasync");
  close(fd);
  free(chunk);
}

static sgio_file* open_sgio(const char* path, int direct) {
  sgio_open_options o;
  sgio_file* f = NULL;
  int32_t rc = sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION);
  if (rc != SGIO_OK) die_sgio("sgio_open_options_init", rc);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | (direct ? SGIO_OPEN_DIRECT : 0u);
  if ((rc = sgio_file_open(&f, path, &o)) != SGIO_OK) die_sgio("sgio_file_open", rc);
  return f;
}

int main(int argc, char** argv) {
  const char* path = "sgio_bench_sync.dat";
  const char* only = NULL; /* run only cases whose name contains this */
  unsigned rounds = 200;
  uint64_t buffered_mib = 16, direct_mib = 2;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--file") && i + 1 < argc) path = argv[++i];
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = (unsigned)strtoul(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--buffered-mib") && i + 1 < argc) buffered_mib = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--direct-mib") && i + 1 < argc) direct_mib = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--file PATH] [--rounds N] [--buffered-mib M] [--direct-mib M] [--only TEXT]\n",
              argv[0]);
      return 2;
    }
  }
  if (rounds < 2 || buffered_mib == 0 || direct_mib == 0) {
    fprintf(stderr, "need --rounds >= 2 and sizes > 0\n");
    return 2;
  }

  fill_file(path);
  void* pool = NULL;
  int32_t rc = sgio_aligned_alloc(&pool, 2ull * MAX_SEGS * PAGE, PAGE);
  if (rc != SGIO_OK) die_sgio("sgio_aligned_alloc", rc);
  memset(pool, 0xA5, 2ull * MAX_SEGS * PAGE);

  static const struct bench_case cases[] = {
      {"write buffered 16x4KiB", 1, 0, 16},  {"write buffered 256x4KiB", 1, 0, 256},
      {"read  buffered 16x4KiB", 0, 0, 16},  {"read  buffered 256x4KiB", 0, 0, 256},
      {"write direct   16x4KiB", 1, 1, 16},  {"write direct   256x4KiB", 1, 1, 256},
      {"read  direct   16x4KiB", 0, 1, 16},  {"read  direct   256x4KiB", 0, 1, 256},
  };
  struct ctx ctx[2];
  for (int d = 0; d < 2; ++d) {
    ctx[d].file = open_sgio(path, d);
    int64_t fd = -1;
    if ((rc = sgio_file_fd(ctx[d].file, &fd)) != SGIO_OK) die_sgio("sgio_file_fd", rc);
    ctx[d].fd = (int)fd;
    for (uint32_t s = 0; s < MAX_SEGS; ++s) {
      char* p = (char*)pool + (uint64_t)2 * s * PAGE; /* every other page: never adjacent */
      ctx[d].segs[s].buffer = (uint64_t)(uintptr_t)p;
      ctx[d].segs[s].length = PAGE;
      ctx[d].iov[s].iov_base = p;
      ctx[d].iov[s].iov_len = PAGE;
    }
  }

  printf("sgio %s sync gather/scatter vs raw pwritev/preadv; %u rounds (ABAB, alternating first), "
         "file %llu MiB filled by sequential 1 MiB pwrite + fdatasync; segments: non-adjacent 4 KiB pages\n",
         sgio_version_string(), rounds, (unsigned long long)(FILE_BYTES >> 20));
  printf("%-25s %8s %10s %10s %7s %7s %7s %9s %9s %7s\n", "case", "MiB/rnd", "raw MB/s", "sgio MB/s", "ratio",
         "median", "best", "raw cpu", "sgio cpu", "cpu");
  double* per_round = calloc(rounds, sizeof(double));
  if (!per_round) die("calloc");
  int below = 0;
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
    const struct bench_case* bc = &cases[k];
    if (only && !strstr(bc->name, only)) continue;
    const struct ctx* c = &ctx[bc->direct];
    const uint64_t bytes = (uint64_t)bc->segs * PAGE;
    const uint64_t mib = bc->direct ? direct_mib : buffered_mib;
    const uint64_t ops = (mib << 20) / bytes;
    double t_raw = 0, t_sgio = 0, c_raw = 0, c_sgio = 0, best_raw = 1e30, best_sgio = 1e30;
    /* Warm-up, not counted: fault in the buffers, settle the cache. */
    run_raw(c, bc, 0, ops);
    run_sgio(c, bc, 0, ops);
    for (unsigned r = 0; r < rounds; ++r) {
      uint64_t start = ((uint64_t)r * (mib << 20)) % FILE_BYTES;
      struct timing a, b;
      if (r % 2 == 0) {
        a = run_raw(c, bc, start, ops);
        b = run_sgio(c, bc, start, ops);
      } else {
        b = run_sgio(c, bc, start, ops);
        a = run_raw(c, bc, start, ops);
      }
      t_raw += a.wall;
      t_sgio += b.wall;
      if (a.wall < best_raw) best_raw = a.wall;
      if (b.wall < best_sgio) best_sgio = b.wall;
      c_raw += a.cpu;
      c_sgio += b.cpu;
      per_round[r] = a.wall / b.wall; /* time ratio raw/sgio == throughput ratio sgio/raw */
    }
    qsort(per_round, rounds, sizeof(double), cmp_double);
    double median = rounds % 2 ? per_round[rounds / 2] : (per_round[rounds / 2 - 1] + per_round[rounds / 2]) / 2;
    double total = (double)ops * (double)bytes * rounds;
    double nops = (double)ops * rounds;
    double ratio = t_raw / t_sgio;
    if (ratio < 0.97) ++below;
    printf("%-25s %8.1f %10.1f %10.1f %7.3f %7.3f %7.3f %9.2f %9.2f %7.3f\n", bc->name, (double)(mib << 20) / (1 << 20),
           total / t_raw / 1e6, total / t_sgio / 1e6, ratio, median, best_raw / best_sgio, c_raw / nops * 1e6,
           c_sgio / nops * 1e6, c_raw / c_sgio);
    fflush(stdout);
  }
  /* Fixed cost per call, isolated: scatter reads past the end of the file move no data, so the
   * kernel side is tiny and what remains is each contender's own work per call. */
  if (!only || strstr("overhead", only)) {
    printf("\nper-call overhead, buffered preadv past EOF (no data moved), best of %u rounds of 20000 calls:\n", rounds);
    printf("%-25s %10s %10s %10s\n", "segments", "raw ns", "sgio ns", "sgio-raw");
    static const uint32_t seg_counts[] = {1, 16, 256};
    for (size_t k = 0; k < sizeof seg_counts / sizeof seg_counts[0]; ++k) {
      const uint32_t n = seg_counts[k];
      const struct ctx* c = &ctx[0];
      double best_raw = 1e30, best_sgio = 1e30;
      for (unsigned r = 0; r < rounds; ++r) {
        for (int who = 0; who < 2; ++who) {
          int raw = (who + (int)r) % 2 == 0;
          double t0 = now();
          for (int i = 0; i < 20000; ++i) {
            if (raw) {
              if (preadv(c->fd, c->iov, (int)n, (off_t)(FILE_BYTES * 2)) != 0) die("preadv past EOF");
            } else {
              uint64_t got = 1;
              int32_t rc2 = sgio_file_read_scatter(c->file, c->segs, n, FILE_BYTES * 2, &got);
              if (rc2 != SGIO_OK || got != 0) die_sgio("sgio_file_read_scatter past EOF", rc2);
            }
          }
          double t = (now() - t0) / 20000;
          if (raw && t < best_raw) best_raw = t;
          if (!raw && t < best_sgio) best_sgio = t;
        }
      }
      printf("%-25u %10.0f %10.0f %10.0f\n", n, best_raw * 1e9, best_sgio * 1e9, (best_sgio - best_raw) * 1e9);
    }
  }
  printf("\nratio = sgio/raw throughput over all rounds; median = median of per-round ratios; best = ratio of the\n"
         "fastest rounds; raw/sgio cpu = thread CPU microseconds per call; cpu = raw cpu / sgio cpu\n");
  printf("target: ratio >= 0.97 in every case; %d case(s) below\n", below);

  free(per_round);
  for (int d = 0; d < 2; ++d)
    if ((rc = sgio_file_close(ctx[d].file)) != SGIO_OK) die_sgio("sgio_file_close", rc);
  sgio_aligned_free(pool);
  unlink(path);
  return 0;
}
