// SPDX-License-Identifier: Apache-2.0
#include "posix/sys_io.hpp"

#include <atomic>

namespace sgio {

namespace {

class RealSysIo final : public SysIo {
 public:
  ssize_t pwritev(int fd, const iovec* iov, int count, off_t offset) override {
    return ::pwritev(fd, iov, count, offset);
  }
  ssize_t preadv(int fd, const iovec* iov, int count, off_t offset) override {
    return ::preadv(fd, iov, count, offset);
  }
};

RealSysIo real_io;
std::atomic<SysIo*> current{&real_io};

}  // namespace

SysIo& sys_io() noexcept { return *current.load(std::memory_order_acquire); }

void set_sys_io_for_testing(SysIo* io) noexcept {
  current.store(io ? io : &real_io, std::memory_order_release);
}

}  // namespace sgio
