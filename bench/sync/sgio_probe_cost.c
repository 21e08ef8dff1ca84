// SPDX-License-Identifier: Apache-2.0
// The cost of probing the caller's segment array (issue 11, lib/posix/user_memory.cpp): a QD1 loop
// of 16 x 4 KiB buffered gather writes, for instruction counts under callgrind (only
// gather_loop() is counted, see bench/README.md), plus the thread CPU time per call of the probe
// system call sgio uses (rt_sigprocmask with an invalid `how`) and of process_vm_readv (the
// rejected alternative) next to one sgio_file_write_gather and one raw pwritev of the request.
//   sgio_probe_cost FILE [ITERATIONS] [direct]
#define _GNU_SOURCE
#include <sgio/sgio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { kSegs = 16, kPage = 4096 };

static double thread_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

__attribute__((noinline)) int gather_loop(sgio_file* f, const sgio_segment* segs, int n) {
  int bad = 0;
  for (int i = 0; i < n; ++i) {
    uint64_t done = 0;
    if (sgio_file_write_gather(f, segs, kSegs, 0, &done) != SGIO_OK || done != (uint64_t)kSegs * kPage) ++bad;
  }
  return bad;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE [ITERATIONS]\n", argv[0]);
    return 2;
  }
  int n = argc > 2 ? atoi(argv[2]) : 2000;
  static unsigned char pool[2 * kSegs * kPage] __attribute__((aligned(4096)));
  memset(pool, 0x5a, sizeof pool);
  sgio_segment segs[kSegs];
  struct iovec iov[kSegs];
  for (int i = 0; i < kSegs; ++i) {  // every other page: never merged
    segs[i].buffer = (uint64_t)(uintptr_t)(pool + 2 * i * kPage);
    segs[i].length = kPage;
    iov[i].iov_base = pool + 2 * i * kPage;
    iov[i].iov_len = kPage;
  }
  sgio_open_options o;
  sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE;
  if (argc > 3 && strcmp(argv[3], "direct") == 0) o.flags |= SGIO_OPEN_DIRECT;
  sgio_file* f = NULL;
  if (sgio_file_open(&f, argv[1], &o) != SGIO_OK) {
    fprintf(stderr, "open: %s\n", sgio_last_error_message());
    return 1;
  }
  int64_t fd = -1;
  sgio_file_fd(f, &fd);
  int bad = gather_loop(f, segs, n);

  double t0 = thread_ns();
  gather_loop(f, segs, n);
  double t1 = thread_ns();
  for (int i = 0; i < n; ++i) pwritev((int)fd, iov, kSegs, 0);
  double t2 = thread_ns();
  sgio_segment copy[kSegs];
  pid_t pid = getpid();
  for (int i = 0; i < n; ++i) {
    struct iovec local = {copy, sizeof copy}, remote = {segs, sizeof segs};
    process_vm_readv(pid, &local, 1, &remote, 1, 0);
  }
  double t3 = thread_ns();
  for (int i = 0; i < n; ++i) syscall(SYS_rt_sigprocmask, -1, segs, NULL, 8);
  double t4 = thread_ns();
  printf("thread CPU ns per call: sgio_file_write_gather %.0f, pwritev %.0f, probe (rt_sigprocmask) %.0f "
         "(%.2f%% of pwritev), process_vm_readv(%zu bytes) %.0f (%.2f%%)\n",
         (t1 - t0) / n, (t2 - t1) / n, (t4 - t3) / n, 100.0 * (t4 - t3) / (t2 - t1), sizeof copy, (t3 - t2) / n,
         100.0 * (t3 - t2) / (t2 - t1));
  sgio_file_close(f);
  unlink(argv[1]);
  return bad != 0;
}
