// SPDX-License-Identifier: Apache-2.0
#include "posix/user_memory.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace sgio {

namespace {

// getpid() is a system call; the pid is cached and refreshed in a forked child.
std::atomic<pid_t> cached_pid{0};
std::atomic<bool> vm_readv_refused{false};

void refresh_pid() noexcept { cached_pid.store(::getpid(), std::memory_order_relaxed); }

pid_t own_pid() noexcept {
  pid_t pid = cached_pid.load(std::memory_order_relaxed);
  if (pid != 0) return pid;
  static const bool registered = [] {
    ::pthread_atfork(nullptr, nullptr, refresh_pid);
    return true;
  }();
  (void)registered;
  refresh_pid();
  return cached_pid.load(std::memory_order_relaxed);
}

// 1: copied; 0: not readable; -1: the system call is refused here.
int copy_vm_readv(void* dst, const void* src, size_t bytes) noexcept {
  auto* out = static_cast<char*>(dst);
  auto* in = static_cast<const char*>(src);
  while (bytes > 0) {
    iovec local{out, bytes};
    iovec remote{const_cast<char*>(in), bytes};
    ssize_t n = ::process_vm_readv(own_pid(), &local, 1, &remote, 1, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EFAULT) return 0;
      if (errno == ENOSYS || errno == EPERM || errno == EACCES) return -1;
      if (errno == ESRCH) {  // a stale pid after a fork the atfork handler did not see (vfork)
        refresh_pid();
        continue;
      }
      return 0;  // ENOMEM and the like: treat the memory as unusable rather than read it
    }
    if (n == 0) return 0;
    // A short count means the next byte is not readable; the next call reports EFAULT.
    out += n;
    in += n;
    bytes -= static_cast<size_t>(n);
  }
  return 1;
}

// The fallback: write() into a pipe reads the caller's memory in the kernel (EFAULT if it cannot),
// then read() brings the bytes back. One pipe per process, re-created after fork.
struct ProbePipe {
  std::mutex mu;
  pid_t owner = 0;
  int fds[2] = {-1, -1};
};

bool copy_pipe(void* dst, const void* src, size_t bytes) noexcept {
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
  auto* out = static_cast<char*>(dst);
  auto* in = static_cast<const char*>(src);
  while (bytes > 0) {
    size_t k = bytes < 4096 ? bytes : 4096;  // below the pipe's capacity: never blocks
    ssize_t w = ::write(probe->fds[1], in, k);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;  // EFAULT (or no pipe at all): do not touch the memory
    size_t got = 0;
    while (got < static_cast<size_t>(w)) {
      ssize_t r = ::read(probe->fds[0], out + got, static_cast<size_t>(w) - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    out += w;
    in += w;
    bytes -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

bool copy_from_caller(void* dst, const void* src, size_t bytes) noexcept {
  if (bytes == 0) return true;
  if (src == nullptr) return false;
  if (!vm_readv_refused.load(std::memory_order_relaxed)) {
    int r = copy_vm_readv(dst, src, bytes);
    if (r >= 0) return r == 1;
    vm_readv_refused.store(true, std::memory_order_relaxed);
  }
  return copy_pipe(dst, src, bytes);
}

}  // namespace sgio
