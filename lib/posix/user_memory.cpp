// SPDX-License-Identifier: Apache-2.0
#include "posix/user_memory.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace sgio {

namespace {

// The probe: rt_sigprocmask(how = -1, set = p, NULL, 8). The kernel copies the 8-byte set from p
// first (EFAULT if it cannot) and only then rejects the invalid `how` (EINVAL), so the call reads
// 8 bytes of our memory and changes nothing. Protection is per page, so one probe per page the
// range touches answers for the whole range. About the cost of getppid(): see the header.
constexpr long kKernelSigsetSize = 8;  // the kernel's sigset_t (64 signals), not glibc's

// 1: readable; 0: not readable; -1: the probe does not behave as expected here.
int probe8(const void* p) noexcept {
  long r = ::syscall(SYS_rt_sigprocmask, -1, p, nullptr, kKernelSigsetSize);
  if (r == 0) return -1;  // `how` accepted?!
  if (errno == EINVAL) return 1;
  if (errno == EFAULT) return 0;
  return -1;  // refused (seccomp: ENOSYS, EPERM)
}

// Whether the probe tells readable from unreadable on this kernel: page 0 is never mapped
// (vm.mmap_min_addr is at least 4096), a local always is. Checked once.
bool probe_works() noexcept {
  static const bool works = [] {
    uint64_t local = 0;
    return probe8(reinterpret_cast<const void*>(uintptr_t{8})) == 0 && probe8(&local) == 1;
  }();
  return works;
}

// The fallback: write() into a pipe reads the caller's memory in the kernel (EFAULT if it cannot).
// One non-blocking pipe per process, re-created after fork, drained when full.
struct ProbePipe {
  std::mutex mu;
  pid_t owner = 0;
  int fds[2] = {-1, -1};
};

bool readable_by_pipe(const void* src, size_t bytes) noexcept {
  static auto* probe = new ProbePipe;  // never destroyed: may be used during static destruction
  std::lock_guard lock(probe->mu);
  pid_t me = ::getpid();
  if (probe->owner != me) {
    if (probe->fds[0] >= 0) {  // inherited from the parent: not ours to share
      ::close(probe->fds[0]);
      ::close(probe->fds[1]);
    }
    probe->fds[0] = probe->fds[1] = -1;
    if (::pipe2(probe->fds, O_CLOEXEC | O_NONBLOCK) != 0) return false;
    probe->owner = me;
  }
  auto* in = static_cast<const char*>(src);
  char sink[4096];
  while (bytes > 0) {
    size_t k = bytes < sizeof sink ? bytes : sizeof sink;
    ssize_t w = ::write(probe->fds[1], in, k);
    if (w < 0 && errno == EAGAIN) {  // full: drain and retry
      while (::read(probe->fds[0], sink, sizeof sink) > 0) {
      }
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;  // EFAULT (or no pipe at all): do not touch the memory
    in += w;
    bytes -= static_cast<size_t>(w);
  }
  return true;
}

// The calling thread's stack, [lo, hi), found once per thread (0, 0 when unknown).
struct StackRange {
  uintptr_t lo = 0;
  uintptr_t hi = 0;
  bool known = false;
};

// Whether [start, end) lies between this function's frame and the top of the calling thread's
// stack. That memory holds the live frames of this thread's callers, so it is mapped and readable
// and needs no probe: the Java binding passes its segment and request arrays from its JNI frame,
// which saves the probe's system call on every gather (0.16-0.21 us, 1-5 % of a buffered
// 16 x 4 KiB gather; bench/README.md, "The cost of the segment-array probe"). Anything else (the
// heap, another thread's stack, a signal's alternate stack, a coroutine's stack) is probed.
bool on_own_stack(uintptr_t start, uintptr_t end) noexcept {
  thread_local StackRange range;
  if (!range.known) {
    range.known = true;
    pthread_attr_t attr;
    if (::pthread_getattr_np(::pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (::pthread_attr_getstack(&attr, &addr, &size) == 0 && addr != nullptr) {
        range.lo = reinterpret_cast<uintptr_t>(addr);
        range.hi = range.lo + size;
      }
      ::pthread_attr_destroy(&attr);
    }
  }
  const auto sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return sp >= range.lo && sp < range.hi && start >= sp && end <= range.hi;
}

}  // namespace

bool readable(const void* src, size_t bytes) noexcept {
  if (bytes == 0) return true;
  if (src == nullptr) return false;
  const uintptr_t start = reinterpret_cast<uintptr_t>(src);
  if (start + bytes < start) return false;  // wraps around the address space
  if (on_own_stack(start, start + bytes)) return true;
  if (!probe_works()) return readable_by_pipe(src, bytes);
  static const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const uintptr_t last = start + bytes - 1;
  // The first probe at src rounded down to 8 bytes (inside src's page), then each later page.
  for (uintptr_t at = start & ~uintptr_t{7};; at = (at & ~(page - 1)) + page) {
    if (probe8(reinterpret_cast<const void*>(at)) != 1) return false;
    if ((at & ~(page - 1)) >= (last & ~(page - 1))) return true;
  }
}

bool copy_from_caller(void* dst, const void* src, size_t bytes) noexcept {
  if (!readable(src, bytes)) return false;
  if (bytes != 0) std::memcpy(dst, src, bytes);
  return true;
}

}  // namespace sgio
