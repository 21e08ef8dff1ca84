// SPDX-License-Identifier: Apache-2.0
// Probe, not version check: with io_uring_setup refused (as Docker's default seccomp profile
// does), AUTO falls back to the pool and a forced io_uring fails with SGIO_ENOTSUP.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "support.hpp"

namespace {

// The seccomp architecture of this build: the filter must match the syscall numbers it compares.
#if defined(__x86_64__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_AARCH64;
#else
#error "fallback_test: add this architecture's AUDIT_ARCH_*"
#endif

// In the child: make io_uring_setup fail with EPERM, leave everything else alone.
bool refuse_io_uring() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

// Child exit codes: 0 ok, 10+n the n-th expectation that failed.
int child_body() {
  // qemu-user (the aarch64 preset) cannot install seccomp filters, but it has no io_uring at all
  // (ENOSYS): the same expectations then hold without the filter.
  if (!refuse_io_uring() && !(syscall(__NR_io_uring_setup, 0, nullptr) == -1 && errno == ENOSYS)) return 10;
  unsetenv("SGIO_BACKEND");
  sgio_queue_options o;
  if (sgio_queue_options_init(&o, SGIO_QUEUE_OPTIONS_VERSION) != SGIO_OK) return 11;
  sgio_queue* q = nullptr;
  o.backend = SGIO_BACKEND_URING;
  if (sgio_queue_create(&q, &o) != SGIO_ENOTSUP || q != nullptr) return 12;
  o.backend = SGIO_BACKEND_AUTO;
  if (sgio_queue_create(&q, &o) != SGIO_OK) return 13;
  uint32_t b = 0;
  if (sgio_queue_backend(q, &b) != SGIO_OK || b != SGIO_BACKEND_POOL) return 14;
  if (sgio_queue_free(q) != SGIO_OK) return 15;
  // The environment forcing io_uring is a forced request too.
  setenv("SGIO_BACKEND", "uring", 1);
  if (sgio_queue_create(&q, &o) != SGIO_ENOTSUP) return 16;
  return 0;
}

}  // namespace

TEST_SUITE("basic") {

TEST_CASE("io_uring refused by seccomp: AUTO falls back to the pool, forced io_uring reports SGIO_ENOTSUP") {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(child_body());
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

}  // TEST_SUITE
