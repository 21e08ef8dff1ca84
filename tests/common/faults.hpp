// SPDX-License-Identifier: Apache-2.0
// Conditions the reliability tests create on purpose: memory that cannot be read, a lowered
// RLIMIT_FSIZE (with SIGXFSZ ignored), a descriptor table with a given number of free slots, and
// whether a descriptor number is open. Plain POSIX only, independent of sgio.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace sgio_test_common {

// `pages` readable+writable pages followed by one PROT_NONE guard page, and an address that is
// never mapped: the second page, below vm.mmap_min_addr (4096 at least, 65536 by default), so
// nothing (not even a ring the library maps later) can land there.
class GuardedPages {
 public:
  explicit GuardedPages(size_t pages = 1) : page_(static_cast<size_t>(sysconf(_SC_PAGESIZE))), pages_(pages) {
    size_t len = (pages_ + 1) * page_;
    void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    base_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
    if (base_) mprotect(base_ + pages_ * page_, page_, PROT_NONE);
  }
  ~GuardedPages() {
    if (base_) munmap(base_, (pages_ + 1) * page_);
  }
  GuardedPages(const GuardedPages&) = delete;
  GuardedPages& operator=(const GuardedPages&) = delete;
  bool ok() const { return base_ != nullptr; }
  size_t page() const { return page_; }
  uint8_t* readable() const { return base_; }
  // The first byte of the PROT_NONE page.
  uint8_t* guard() const { return base_ + pages_ * page_; }
  // `bytes` before the guard page: an object placed here runs into it.
  uint8_t* before_guard(size_t bytes) const { return guard() - bytes; }
  uint8_t* unmapped() const { return reinterpret_cast<uint8_t*>(uintptr_t{4096}); }

 private:
  size_t page_;
  size_t pages_;
  uint8_t* base_ = nullptr;
};

// RLIMIT_FSIZE lowered to `limit` bytes with SIGXFSZ ignored (the kernel sends it with EFBIG),
// both restored on scope exit. Process-wide: the library's own threads see it too.
class FsizeLimit {
 public:
  explicit FsizeLimit(uint64_t limit) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit rl = saved_;
    rl.rlim_cur = limit;
    ok_ = setrlimit(RLIMIT_FSIZE, &rl) == 0;
  }
  ~FsizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FsizeLimit(const FsizeLimit&) = delete;
  FsizeLimit& operator=(const FsizeLimit&) = delete;
  bool ok() const { return ok_; }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = SIG_DFL;
  bool ok_ = false;
};

// UBSan's vptr check cannot run with no descriptor free: on a type-cache miss it asks
// sanitizer_common's IsAccessibleMemoryRange, which writes into a fresh pipe, and reports every
// virtual call as "invalid vptr" when the pipe cannot be created. The asan preset builds with
// address,undefined (GCC defines no macro for UBSan; __SANITIZE_ADDRESS__ stands for the preset),
// so the descriptor-exhaustion cases run in the default and tsan builds only.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kFdExhaustionUnderUbsan = true;
#else
constexpr bool kFdExhaustionUnderUbsan = false;
#endif

inline bool fd_is_open(int fd) { return fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

// Lowers RLIMIT_NOFILE to just above the highest descriptor in use and fills every free slot
// but `leave_free`, so the next `leave_free` opens succeed and the one after fails with EMFILE.
// Everything is restored on scope exit.
class FdExhaustion {
 public:
  explicit FdExhaustion(int leave_free) {
    getrlimit(RLIMIT_NOFILE, &saved_);
    int probe = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (probe < 0) return;
    ::close(probe);
    rlimit rl = saved_;
    rl.rlim_cur = static_cast<rlim_t>(probe) + 64;  // room for the descriptors already open above
    if (rl.rlim_cur > saved_.rlim_cur) return;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return;
    lowered_ = true;
    for (;;) {
      int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) break;
      fillers_.push_back(fd);
    }
    ok_ = errno == EMFILE && static_cast<int>(fillers_.size()) >= leave_free;
    for (int i = 0; i < leave_free && !fillers_.empty(); ++i) {
      ::close(fillers_.back());
      fillers_.pop_back();
    }
  }
  ~FdExhaustion() {
    for (int fd : fillers_) ::close(fd);
    if (lowered_) setrlimit(RLIMIT_NOFILE, &saved_);
  }
  FdExhaustion(const FdExhaustion&) = delete;
  FdExhaustion& operator=(const FdExhaustion&) = delete;
  bool ok() const { return ok_; }

 private:
  rlimit saved_{};
  bool lowered_ = false;
  bool ok_ = false;
  std::vector<int> fillers_;
};

}  // namespace sgio_test_common
