// SPDX-License-Identifier: Apache-2.0
/*
 * The issue-9 targets, side by side in one run with interleaved rounds: sgio's Win32 face and
 * sgio_queue against the raw Linux calls doing the same I/O with the same segments.
 *
 *   sgio_bench_targets [dir] [seconds-per-case-per-round] [rounds] [file-MiB]
 *
 * Every request is 16 x 4 KiB pages drawn shuffled from a VirtualAlloc'd pool (so no two segments
 * of a request are adjacent in memory), at a random 64 KiB-aligned offset of one O_DIRECT file.
 * The file is created and prefilled once with sequential 1 MiB O_DIRECT writes and fsync'd, so
 * every measured write is an overwrite of allocated blocks (no block allocation in any case).
 *
 * Cases (each pair is measured back to back in every round; rounds interleave all cases):
 *   QD1  WriteFileGather (event in the OVERLAPPED) + GetOverlappedResult(bWait=TRUE)  vs pwritev
 *   QD1  ReadFileScatter + GetOverlappedResult(bWait=TRUE)                            vs preadv
 *   QD1  sgio_queue submit + wait (write / read)                                      vs pwritev / preadv
 *   QD32 WriteFileGather on a handle bound to a completion port, refilled from
 *        GetQueuedCompletionStatus                                                    vs raw liburing WRITEV QD32
 *   QD32 sgio_queue (uring backend) write gathers                                     vs raw liburing WRITEV QD32
 * For each: requests/s, MB/s, process CPU per request (user+sys of every thread: getrusage(RUSAGE_SELF)
 * deltas) split into the calling thread's (CLOCK_THREAD_CPUTIME_ID) and the rest (the library's
 * background threads), cores used, and p50/p99 latency per request (submit to completion seen by
 * the caller).
 *
 * SGIO_BENCH_ONLY=<text> in the environment runs only the cases whose name contains <text> (for
 * profiling one path under perf/callgrind).
 */
#define _GNU_SOURCE
#include <sgio/sgio.h>
#include <sgio/sgio_win32.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "bench_rng.h"

#define QD 32
#define SEGS 16
#define PAGE 4096u
#define REQ_BYTES (SEGS * PAGE)
#define ALIGN (64u * 1024u)
#define POOL_PAGES (QD * SEGS * 2)    /* twice what QD32 needs: pages are drawn shuffled from it */
#define MAX_SAMPLES (4u * 1024u * 1024u) /* latency samples kept per case */


static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000ull +
         ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
}

static uint64_t thread_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char* what, const char* why) {
  fprintf(stderr, "sgio_bench_targets: %s: %s\n", what, why);
  exit(1);
}
static void die_sgio(const char* what, int32_t st) { die(what, sgio_last_error_message()), (void)st; }
static void die_w32(const char* what) {
  char buf[64];
  snprintf(buf, sizeof buf, "GetLastError %u", (unsigned)GetLastError());
  die(what, buf);
}

/* ---- the I/O shape shared by every case ------------------------------------------------------ */

static uint8_t* pool;                        /* POOL_PAGES pages from VirtualAlloc */
static struct iovec iov[QD][SEGS];           /* slot s: its 16 shuffled pages */
static FILE_SEGMENT_ELEMENT fse[QD][SEGS + 1]; /* the same pages, NULL-terminated */
static sgio_segment sseg[QD][SEGS];          /* the same pages for sgio_queue */
static uint64_t file_slots;                  /* file size / 64 KiB */

static void draw_pages(void) {
  uint32_t perm[POOL_PAGES];
  for (uint32_t i = 0; i < POOL_PAGES; ++i) perm[i] = i;
  for (uint32_t i = POOL_PAGES - 1; i > 0; --i) {
    uint32_t j = (uint32_t)(rnd() % (i + 1));
    uint32_t t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  for (int s = 0; s < QD; ++s) {
    for (int p = 0; p < SEGS; ++p) {
      uint8_t* page = pool + (size_t)perm[s * SEGS + p] * PAGE;
      iov[s][p].iov_base = page;
      iov[s][p].iov_len = PAGE;
      fse[s][p].Buffer = page;
      sseg[s][p].buffer = (uint64_t)(uintptr_t)page;
      sseg[s][p].length = PAGE;
    }
    fse[s][SEGS].Buffer = NULL;
  }
}

static uint64_t rand_offset(void) { return (rnd() % file_slots) * ALIGN; }

/* ---- results ----------------------------------------------------------------------------------- */

typedef struct {
  const char* name;
  uint64_t ops, wall_ns, cpu_ns, main_cpu_ns;
  uint32_t* lat_ns; /* samples (capped at MAX_SAMPLES) */
  uint64_t nlat;
} Stats;

static void record(Stats* st, uint64_t ns) {
  if (st->nlat < MAX_SAMPLES) st->lat_ns[st->nlat++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

static int cmp_u32(const void* a, const void* b) {
  uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
  return x < y ? -1 : x > y;
}

static double pct(Stats* st, double p) {
  if (!st->nlat) return 0;
  uint64_t i = (uint64_t)(p * (double)(st->nlat - 1));
  return st->lat_ns[i] / 1000.0;
}

/* Run one case for `seconds`, accumulating into st (wall time and process CPU of every thread). */
typedef uint64_t (*CaseFn)(Stats* st, uint64_t end_ns);
static void run_case(Stats* st, CaseFn fn, double seconds) {
  uint64_t c0 = cpu_ns(), m0 = thread_cpu_ns(), t0 = now_ns();
  st->ops += fn(st, t0 + (uint64_t)(seconds * 1e9));
  st->wall_ns += now_ns() - t0;
  st->main_cpu_ns += thread_cpu_ns() - m0;
  st->cpu_ns += cpu_ns() - c0;
}

/* ---- handles ------------------------------------------------------------------------------------ */

static int raw_fd;           /* open(O_DIRECT) */
static HANDLE w32_file;      /* FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, not bound to a port */
static HANDLE w32_port_file; /* the same file, second handle, bound to w32_port */
static HANDLE w32_port;
static HANDLE w32_event;
static sgio_file* sgio_f;
static sgio_queue* queue1;  /* depth 1, default backend */
static sgio_queue* queue32; /* depth 32, io_uring backend */
static struct io_uring ring;

/* ---- QD1 cases ------------------------------------------------------------------------------------ */

/* One synchronous-looking request (submit and wait for it) with slot s's pages at off. */
typedef void (*OneRequest)(int s, uint64_t off, int write);

/* The QD1 loop every QD1 case shares: one request at a time until `end`, latency per request. */
static uint64_t qd1_loop(Stats* st, uint64_t end, int write, OneRequest one) {
  uint64_t n = 0;
  for (uint64_t t = now_ns(); t < end; ++n) {
    one((int)(n % QD), rand_offset(), write);
    uint64_t t1 = now_ns();
    record(st, t1 - t);
    t = t1;
  }
  return n;
}

static void set_offset(OVERLAPPED* ov, uint64_t off) {
  memset(ov, 0, sizeof *ov);
  ov->Offset = (DWORD)off;
  ov->OffsetHigh = (DWORD)(off >> 32);
}

static void one_w32(int s, uint64_t off, int write) {
  OVERLAPPED ov;
  set_offset(&ov, off);
  ov.hEvent = w32_event;
  BOOL ok = write ? WriteFileGather(w32_file, fse[s], REQ_BYTES, NULL, &ov)
                  : ReadFileScatter(w32_file, fse[s], REQ_BYTES, NULL, &ov);
  if (!ok && GetLastError() != ERROR_IO_PENDING) die_w32(write ? "WriteFileGather" : "ReadFileScatter");
  DWORD done = 0;
  if (!GetOverlappedResult(w32_file, &ov, &done, TRUE) || done != REQ_BYTES) die_w32("GetOverlappedResult");
}

static void one_raw(int s, uint64_t off, int write) {
  ssize_t r = write ? pwritev(raw_fd, iov[s], SEGS, (off_t)off) : preadv(raw_fd, iov[s], SEGS, (off_t)off);
  if (r != (ssize_t)REQ_BYTES) die(write ? "pwritev" : "preadv", r < 0 ? strerror(errno) : "short transfer");
}

static void one_queue(int s, uint64_t off, int write) {
  sgio_request r;
  memset(&r, 0, sizeof r);
  r.file = sgio_f;
  r.segments = (uint64_t)(uintptr_t)sseg[s];
  r.count = SEGS;
  r.op = write ? SGIO_OP_WRITE_GATHER : SGIO_OP_READ_SCATTER;
  r.offset = off;
  r.user_data = (uint64_t)s;
  int32_t rc = sgio_queue_submit(queue1, &r, 1, NULL);
  if (rc) die_sgio("sgio_queue_submit", rc);
  sgio_completion c;
  uint32_t got = 0;
  if ((rc = sgio_queue_wait(queue1, &c, 1, 1, UINT32_MAX, &got))) die_sgio("sgio_queue_wait", rc);
  if (got != 1 || c.status || c.bytes != REQ_BYTES) die("sgio_queue completion", sgio_error_name(c.status));
}

/* A raw io_uring request at QD1 (no sgio): shows what the ring itself costs against pwritev/preadv. */
static void one_uring(int s, uint64_t off, int write) {
  struct io_uring_sqe* sqe = io_uring_get_sqe(&ring);
  if (write)
    io_uring_prep_writev(sqe, raw_fd, iov[s], SEGS, off);
  else
    io_uring_prep_readv(sqe, raw_fd, iov[s], SEGS, off);
  struct io_uring_cqe* cqe;
  int rc = io_uring_submit_and_wait(&ring, 1);
  if (rc < 0 || (rc = io_uring_wait_cqe(&ring, &cqe)) < 0) die("io_uring QD1", strerror(-rc));
  if (cqe->res != (int)REQ_BYTES) die("io_uring QD1", cqe->res < 0 ? strerror(-cqe->res) : "short");
  io_uring_cqe_seen(&ring, cqe);
}

static uint64_t qd1_w32_write(Stats* st, uint64_t end) { return qd1_loop(st, end, 1, one_w32); }
static uint64_t qd1_w32_read(Stats* st, uint64_t end) { return qd1_loop(st, end, 0, one_w32); }
static uint64_t qd1_pwritev(Stats* st, uint64_t end) { return qd1_loop(st, end, 1, one_raw); }
static uint64_t qd1_preadv(Stats* st, uint64_t end) { return qd1_loop(st, end, 0, one_raw); }
static uint64_t qd1_queue_write(Stats* st, uint64_t end) { return qd1_loop(st, end, 1, one_queue); }
static uint64_t qd1_queue_read(Stats* st, uint64_t end) { return qd1_loop(st, end, 0, one_queue); }
static uint64_t qd1_uring_write(Stats* st, uint64_t end) { return qd1_loop(st, end, 1, one_uring); }
static uint64_t qd1_uring_read(Stats* st, uint64_t end) { return qd1_loop(st, end, 0, one_uring); }

/* ---- QD32 write cases ------------------------------------------------------------------------------ */

static uint64_t submitted_at[QD];

static OVERLAPPED port_ov[QD];

static void port_submit(int s, uint64_t t) {
  set_offset(&port_ov[s], rand_offset());
  submitted_at[s] = t;
  if (!WriteFileGather(w32_port_file, fse[s], REQ_BYTES, NULL, &port_ov[s]) && GetLastError() != ERROR_IO_PENDING)
    die_w32("WriteFileGather (port)");
}

static uint64_t qd32_port(Stats* st, uint64_t end) {
  uint64_t n = 0;
  int inflight = 0;
  for (int s = 0; s < QD; ++s, ++inflight) port_submit(s, now_ns());
  while (inflight > 0) {
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED done = NULL;
    if (!GetQueuedCompletionStatus(w32_port, &bytes, &key, &done, INFINITE) || bytes != REQ_BYTES)
      die_w32("GetQueuedCompletionStatus");
    --inflight;
    ++n;
    int s = (int)(done - port_ov);
    uint64_t t = now_ns();
    record(st, t - submitted_at[s]);
    if (t < end) {
      port_submit(s, t);
      ++inflight;
    }
  }
  return n;
}

static uint64_t qd32_queue(Stats* st, uint64_t end) {
  sgio_request reqs[QD];
  memset(reqs, 0, sizeof reqs);
  for (int s = 0; s < QD; ++s) {
    reqs[s].file = sgio_f;
    reqs[s].segments = (uint64_t)(uintptr_t)sseg[s];
    reqs[s].count = SEGS;
    reqs[s].op = SGIO_OP_WRITE_GATHER;
    reqs[s].offset = rand_offset();
    reqs[s].user_data = (uint64_t)s;
  }
  uint64_t t0 = now_ns();
  for (int s = 0; s < QD; ++s) submitted_at[s] = t0;
  int32_t rc = sgio_queue_submit(queue32, reqs, QD, NULL);
  if (rc) die_sgio("sgio_queue_submit", rc);
  int inflight = QD;
  uint64_t n = 0;
  sgio_completion c[QD];
  sgio_request again[QD];
  while (inflight > 0) {
    uint32_t got = 0;
    if ((rc = sgio_queue_wait(queue32, c, QD, 1, UINT32_MAX, &got))) die_sgio("sgio_queue_wait", rc);
    inflight -= (int)got;
    n += got;
    uint64_t t = now_ns();
    uint32_t k = 0;
    for (uint32_t i = 0; i < got; ++i) {
      if (c[i].status || c[i].bytes != REQ_BYTES) die("sgio_queue completion", sgio_error_name(c[i].status));
      int s = (int)c[i].user_data;
      record(st, t - submitted_at[s]);
      if (t < end) {
        again[k] = reqs[s];
        again[k].offset = rand_offset();
        submitted_at[s] = t;
        ++k;
      }
    }
    if (k) {
      if ((rc = sgio_queue_submit(queue32, again, k, NULL))) die_sgio("sgio_queue_submit", rc);
      inflight += (int)k;
    }
  }
  return n;
}

/* The raw loop sgio is measured against: the same iovecs, IORING_OP_WRITEV, refill per batch. */
static uint64_t qd32_uring(Stats* st, uint64_t end) {
  uint64_t t0 = now_ns();
  for (int s = 0; s < QD; ++s) {
    struct io_uring_sqe* sqe = io_uring_get_sqe(&ring);
    io_uring_prep_writev(sqe, raw_fd, iov[s], SEGS, rand_offset());
    io_uring_sqe_set_data64(sqe, (uint64_t)s);
    submitted_at[s] = t0;
  }
  int inflight = QD;
  uint64_t n = 0;
  io_uring_submit(&ring);
  while (inflight > 0) {
    struct io_uring_cqe* cqe;
    int rc = io_uring_wait_cqe(&ring, &cqe);
    if (rc < 0) die("io_uring_wait_cqe", strerror(-rc));
    uint64_t t = now_ns();
    unsigned head, seen = 0, k = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      ++seen;
      if (cqe->res != (int)REQ_BYTES) die("io_uring writev", cqe->res < 0 ? strerror(-cqe->res) : "short");
      int s = (int)io_uring_cqe_get_data64(cqe);
      record(st, t - submitted_at[s]);
      if (t < end) {
        struct io_uring_sqe* sqe = io_uring_get_sqe(&ring);
        io_uring_prep_writev(sqe, raw_fd, iov[s], SEGS, rand_offset());
        io_uring_sqe_set_data64(sqe, (uint64_t)s);
        submitted_at[s] = t;
        ++k;
      }
    }
    io_uring_cq_advance(&ring, seen);
    inflight -= (int)seen;
    n += seen;
    if (k) {
      io_uring_submit(&ring);
      inflight += (int)k;
    }
  }
  return n;
}

/* ---- setup and report ------------------------------------------------------------------------------- */

static void prefill(const char* path, uint64_t bytes) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644);
  if (fd < 0) die(path, strerror(errno));
  uint8_t* buf;
  if (posix_memalign((void**)&buf, PAGE, 1u << 20)) die("posix_memalign", "out of memory");
  memset(buf, 0xa5, 1u << 20);
  for (uint64_t off = 0; off < bytes; off += 1u << 20)
    if (pwrite(fd, buf, 1u << 20, (off_t)off) != (ssize_t)(1u << 20)) die("prefill", strerror(errno));
  if (fsync(fd)) die("fsync", strerror(errno));
  close(fd);
  free(buf);
}

static void print_row(Stats* st, Stats* ref, double target, int cpu_target) {
  double secs = (double)st->wall_ns / 1e9;
  double rate = (double)st->ops / secs;
  double cpu_us = st->ops ? (double)st->cpu_ns / 1e3 / (double)st->ops : 0;
  double main_us = st->ops ? (double)st->main_cpu_ns / 1e3 / (double)st->ops : 0;
  double cores = (double)st->cpu_ns / (double)st->wall_ns;
  qsort(st->lat_ns, st->nlat, sizeof st->lat_ns[0], cmp_u32);
  printf("| %-44s | %9.0f | %7.0f | %6.2f | %6.2f | %6.2f | %5.2f | %8.1f | %8.1f |", st->name, rate,
         rate * REQ_BYTES / 1e6, cpu_us, main_us, cpu_us > main_us ? cpu_us - main_us : 0, cores, pct(st, 0.50),
         pct(st, 0.99));
  if (ref) {
    double rref = (double)ref->ops / ((double)ref->wall_ns / 1e9);
    double cref = (double)ref->cpu_ns / (double)ref->ops;
    double ratio = rate / rref, cratio = ((double)st->cpu_ns / (double)st->ops) / cref;
    if (target > 0)
      printf(" %6.3fx (>= %.2f: %s)", ratio, target, ratio >= target ? "met" : "MISSED");
    else
      printf(" %6.3fx (no target)", ratio);
    if (cpu_target) printf(" CPU/req %.2fx (<= 1.2: %s)", cratio, cratio <= 1.2 ? "met" : "MISSED");
  } else {
    printf(" reference");
  }
  printf(" |\n");
}

int main(int argc, char** argv) {
  const char* dir = argc > 1 ? argv[1] : ".";
  double seconds = argc > 2 ? atof(argv[2]) : 2;
  int rounds = argc > 3 ? atoi(argv[3]) : 3;
  uint64_t file_mib = argc > 4 ? strtoull(argv[4], NULL, 10) : 1024;
  if (seconds <= 0 || rounds <= 0 || file_mib < 1) die("usage", "sgio_bench_targets [dir] [seconds] [rounds] [file-MiB]");
  uint64_t file_bytes = file_mib << 20;
  file_slots = file_bytes / ALIGN;
  char path[4096];
  snprintf(path, sizeof path, "%s/sgio-bench-targets.dat", dir);
  prefill(path, file_bytes);

  pool = VirtualAlloc(NULL, (SIZE_T)POOL_PAGES * PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (!pool) die_w32("VirtualAlloc");
  memset(pool, 0x5a, (size_t)POOL_PAGES * PAGE);
  draw_pages();

  raw_fd = open(path, O_RDWR | O_DIRECT);
  if (raw_fd < 0) die(path, strerror(errno));
  DWORD flags = FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING;
  /* Two handles on one file (one bound to the port): each must share what the other opens. */
  DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE;
  w32_file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, share, NULL, OPEN_EXISTING, flags, NULL);
  w32_port_file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, share, NULL, OPEN_EXISTING, flags, NULL);
  if (w32_file == INVALID_HANDLE_VALUE || w32_port_file == INVALID_HANDLE_VALUE) die_w32("CreateFileA");
  w32_port = CreateIoCompletionPort(w32_port_file, NULL, 1, 0);
  w32_event = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (!w32_port || !w32_event) die_w32("CreateIoCompletionPort/CreateEventW");

  sgio_open_options o;
  sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_DIRECT;
  int32_t rc = sgio_file_open(&sgio_f, path, &o);
  if (rc) die_sgio("sgio_file_open", rc);
  sgio_queue_options qo;
  sgio_queue_options_init(&qo, SGIO_QUEUE_OPTIONS_VERSION);
  qo.depth = 1;
  if ((rc = sgio_queue_create(&queue1, &qo))) die_sgio("sgio_queue_create", rc);
  qo.depth = QD;
  qo.backend = SGIO_BACKEND_URING;
  if ((rc = sgio_queue_create(&queue32, &qo))) die_sgio("sgio_queue_create (uring)", rc);
  if ((rc = io_uring_queue_init(2 * QD, &ring, 0)) < 0) die("io_uring_queue_init", strerror(-rc));

  struct {
    Stats st;
    CaseFn fn;
    int ref;      /* index of the reference case, or -1 */
    double target;
    int cpu_target;
  } cases[] = {
      {{.name = "QD1 pwritev (raw)"}, qd1_pwritev, -1, 0, 0},
      {{.name = "QD1 WriteFileGather + GetOverlappedResult"}, qd1_w32_write, 0, 0.95, 0},
      {{.name = "QD1 sgio_queue write submit+wait"}, qd1_queue_write, 0, 0.95, 0},
      {{.name = "QD1 liburing WRITEV (raw, for reference)"}, qd1_uring_write, 0, 0, 0},
      {{.name = "QD1 preadv (raw)"}, qd1_preadv, -1, 0, 0},
      {{.name = "QD1 ReadFileScatter + GetOverlappedResult"}, qd1_w32_read, 4, 0.95, 0},
      {{.name = "QD1 sgio_queue read submit+wait"}, qd1_queue_read, 4, 0.95, 0},
      {{.name = "QD1 liburing READV (raw, for reference)"}, qd1_uring_read, 4, 0, 0},
      {{.name = "QD32 liburing WRITEV loop (raw)"}, qd32_uring, -1, 0, 0},
      {{.name = "QD32 WriteFileGather via completion port"}, qd32_port, 8, 0.97, 1},
      {{.name = "QD32 sgio_queue (uring) write gathers"}, qd32_queue, 8, 0.97, 1},
  };
  size_t ncases = sizeof cases / sizeof cases[0];
  const char* only = getenv("SGIO_BENCH_ONLY");
  for (size_t i = 0; i < ncases; ++i) {
    cases[i].st.lat_ns = malloc(MAX_SAMPLES * sizeof(uint32_t));
    if (!cases[i].st.lat_ns) die("malloc", "out of memory");
  }
  /* Warm-up: every path once, short, not counted. */
  for (size_t i = 0; i < ncases; ++i) {
    if (only && !strstr(cases[i].st.name, only)) continue;
    Stats warm = cases[i].st;
    warm.ops = warm.wall_ns = warm.cpu_ns = warm.main_cpu_ns = warm.nlat = 0;
    run_case(&warm, cases[i].fn, 0.2);
  }
  for (int r = 0; r < rounds; ++r) {
    /* Alternate the order inside each pair group every round, so neither side always goes first. */
    for (size_t i = 0; i < ncases; ++i) {
      size_t k = (r % 2) ? ncases - 1 - i : i;
      if (only && !strstr(cases[k].st.name, only)) continue;
      run_case(&cases[k].st, cases[k].fn, seconds);
    }
  }
  printf("file %s: %" PRIu64 " MiB, prefilled (sequential 1 MiB O_DIRECT writes + fsync: every write is an "
         "overwrite)\nrequests: 16 x 4 KiB pages drawn shuffled from a VirtualAlloc pool, random 64 KiB-aligned "
         "offsets, O_DIRECT\n%d interleaved rounds x %.1f s per case; CPU = user+sys of the whole process "
         "(getrusage);\n"
         "caller = the thread that submits and waits (CLOCK_THREAD_CPUTIME_ID), others = the library's threads\n\n",
         path, file_mib, rounds, seconds);
  printf("| %-44s | %9s | %7s | %6s | %6s | %6s | %5s | %8s | %8s | %s |\n", "case", "req/s", "MB/s", "CPU us",
         "caller", "others", "cores", "p50 us", "p99 us", "vs raw (target)");
  printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
  for (size_t i = 0; i < ncases; ++i)
    if (cases[i].st.ops)
      print_row(&cases[i].st, cases[i].ref >= 0 && cases[cases[i].ref].st.ops ? &cases[cases[i].ref].st : NULL,
                cases[i].target, cases[i].cpu_target);

  io_uring_queue_exit(&ring);
  sgio_queue_free(queue32);
  sgio_queue_free(queue1);
  sgio_file_close(sgio_f);
  CloseHandle(w32_event);
  CloseHandle(w32_port_file);
  CloseHandle(w32_port);
  CloseHandle(w32_file);
  close(raw_fd);
  VirtualFree(pool, 0, MEM_RELEASE);
  for (size_t i = 0; i < ncases; ++i) free(cases[i].st.lat_ns);
  remove(path);
  return 0;
}
