// SPDX-License-Identifier: Apache-2.0
// A scriptable stand-in for pwritev/preadv. Each call asks the script what to do: forward to the
// real system call (whole, or with the iovec cut to N bytes: a short transfer at an exact byte),
// fail with an errno, return 0, pretend to move N bytes without touching memory (for requests over
// fake addresses), or throw. Every call is recorded so tests can check the engine's chunking.
#pragma once

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <functional>
#include <new>
#include <stdexcept>
#include <vector>

#include "posix/sys_io.hpp"
#include "posix/vector_io.hpp"

namespace sgio_test {

struct Act {
  enum Kind { forward, cut, fail, zero, pretend, throw_runtime, throw_bad_alloc, throw_int } kind = forward;
  uint64_t bytes = 0;  // cut / pretend: at most this many bytes
  int err = 0;         // fail: errno

  static Act all() { return {}; }
  static Act cut_at(uint64_t n) { return {cut, n, 0}; }
  static Act error(int e) { return {fail, 0, e}; }
  static Act nothing() { return {zero, 0, 0}; }
  static Act fake(uint64_t n) { return {pretend, n, 0}; }
  static Act raise(Kind k) { return {k, 0, 0}; }
};

struct Call {
  bool write;
  int count;            // iovecs
  uint64_t bytes;       // bytes asked for
  int64_t offset;
  const void* first;    // base of the first iovec: where in memory the call resumed
  int64_t result;
};

class FakeSysIo final : public sgio::SysIo {
 public:
  // call index (0-based, over reads and writes), bytes asked -> what to do.
  std::function<Act(size_t, uint64_t)> script = [](size_t, uint64_t) { return Act::all(); };
  std::vector<Call> calls;

  ssize_t pwritev(int fd, const iovec* iov, int count, off_t offset) override {
    return run(true, fd, iov, count, offset);
  }
  ssize_t preadv(int fd, const iovec* iov, int count, off_t offset) override {
    return run(false, fd, iov, count, offset);
  }

  uint64_t max_count() const {
    uint64_t m = 0;
    for (const Call& c : calls) m = std::max<uint64_t>(m, static_cast<uint64_t>(c.count));
    return m;
  }
  uint64_t max_bytes() const {
    uint64_t m = 0;
    for (const Call& c : calls) m = std::max(m, c.bytes);
    return m;
  }

 private:
  ssize_t run(bool write, int fd, const iovec* iov, int count, off_t offset) {
    uint64_t asked = 0;
    for (int i = 0; i < count; ++i) asked += iov[i].iov_len;
    calls.push_back(Call{write, count, asked, static_cast<int64_t>(offset), count > 0 ? iov[0].iov_base : nullptr, 0});
    Act a = script(calls.size() - 1, asked);
    ssize_t r = 0;
    switch (a.kind) {
      case Act::forward:
        r = write ? ::pwritev(fd, iov, count, offset) : ::preadv(fd, iov, count, offset);
        break;
      case Act::cut: {
        std::vector<iovec> part;
        uint64_t left = a.bytes;
        for (int i = 0; i < count && left > 0; ++i) {
          size_t n = std::min<uint64_t>(left, iov[i].iov_len);
          part.push_back(iovec{iov[i].iov_base, n});
          left -= n;
        }
        r = write ? ::pwritev(fd, part.data(), static_cast<int>(part.size()), offset)
                  : ::preadv(fd, part.data(), static_cast<int>(part.size()), offset);
        break;
      }
      case Act::fail:
        errno = a.err;
        r = -1;
        break;
      case Act::zero:
        r = 0;
        break;
      case Act::pretend:
        r = static_cast<ssize_t>(std::min(a.bytes, asked));
        break;
      case Act::throw_runtime:
        throw std::runtime_error("fake backend exploded");
      case Act::throw_bad_alloc:
        throw std::bad_alloc();
      case Act::throw_int:
        throw 42;
    }
    calls.back().result = r;
    return r;
  }
};

// Installs a fake for the scope of a test; the real system calls come back at scope exit.
class Installed {
 public:
  explicit Installed(sgio::SysIo* io) { sgio::set_sys_io_for_testing(io); }
  ~Installed() { sgio::set_sys_io_for_testing(nullptr); }
  Installed(const Installed&) = delete;
  Installed& operator=(const Installed&) = delete;
};

}  // namespace sgio_test
