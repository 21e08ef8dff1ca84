// SPDX-License-Identifier: Apache-2.0
// The vectored system calls behind the sync engine, behind an interface so that tests can
// replace them: short transfers, EINTR, errors, and a backend that throws (to prove that no
// exception crosses the C boundary).
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

namespace sgio {

class SysIo {
 public:
  virtual ~SysIo() = default;
  // Same contract as pwritev(2)/preadv(2): bytes transferred, or -1 with errno set.
  virtual ssize_t pwritev(int fd, const iovec* iov, int count, off_t offset) = 0;
  virtual ssize_t preadv(int fd, const iovec* iov, int count, off_t offset) = 0;
};

// The process-wide instance (the real system calls unless a test installed another).
SysIo& sys_io() noexcept;

// Test hook: install `io` (nullptr restores the real system calls). Not thread-safe against
// concurrent I/O; tests call it while idle. Not exported from libsgio.
void set_sys_io_for_testing(SysIo* io) noexcept;

}  // namespace sgio
