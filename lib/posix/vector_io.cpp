// SPDX-License-Identifier: Apache-2.0
#include "posix/vector_io.hpp"

#include <sys/resource.h>
#include <sys/uio.h>

#include <cerrno>

#include "posix/sys_io.hpp"

namespace sgio {

int IovCursor::fill(iovec* iov, uint64_t* bytes) const {
  int n = 0;
  uint64_t budget = kMaxBytesPerCall;
  for (uint64_t i = index; i < count && n < kIovMax && budget > 0; ++i) {
    uint64_t start = i == index ? skip : 0;
    uint64_t len = segs[i].length - start;
    if (len > budget) len = budget;
    auto* base = reinterpret_cast<char*>(static_cast<uintptr_t>(segs[i].buffer + start));
    budget -= len;
    // Pages carved from one buffer arrive as adjacent segments: one iovec for the run is
    // cheaper for the kernel and the block layer, and stretches IOV_MAX further.
    if (n > 0 && static_cast<char*>(iov[n - 1].iov_base) + iov[n - 1].iov_len == base) {
      iov[n - 1].iov_len += static_cast<size_t>(len);
      continue;
    }
    iov[n].iov_base = base;
    iov[n].iov_len = static_cast<size_t>(len);
    ++n;
  }
  if (bytes) *bytes = kMaxBytesPerCall - budget;
  return n;
}

void IovCursor::advance(uint64_t bytes) {
  while (bytes > 0) {
    uint64_t left = segs[index].length - skip;
    if (bytes < left) {
      skip += bytes;
      return;
    }
    bytes -= left;
    ++index;
    skip = 0;
  }
}


int64_t fsize_cut(uint64_t pos, uint64_t asked, uint32_t direct_align) noexcept {
  if (direct_align <= 1) return -1;
  rlimit rl{};
  if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return -1;
  const uint64_t limit = rl.rlim_cur;
  if (pos + asked <= limit) return -1;
  if (pos >= limit) return 0;
  return static_cast<int64_t>((limit - pos) / direct_align * direct_align);
}

int truncate_iov(iovec* iov, int n, uint64_t bytes) noexcept {
  int i = 0;
  for (; i < n && bytes > 0; ++i) {
    if (iov[i].iov_len >= bytes) {
      iov[i].iov_len = static_cast<size_t>(bytes);
      return i + 1;
    }
    bytes -= iov[i].iov_len;
  }
  return i;
}

Transfer write_all(int fd, const Segment* segs, uint64_t count, uint64_t offset, uint32_t direct_align) {
  Transfer t;
  IovCursor cur{segs, count};
  iovec iov[kIovMax];
  SysIo& io = sys_io();
  while (!cur.done()) {
    uint64_t asked;
    int n = cur.fill(iov, &asked);
    ssize_t r = io.pwritev(fd, iov, n, static_cast<off_t>(offset + t.bytes));
    if (r < 0 && errno == EINVAL) {
      int64_t cut = fsize_cut(offset + t.bytes, asked, direct_align);
      if (cut == 0) errno = EFBIG;
      if (cut > 0) r = io.pwritev(fd, iov, truncate_iov(iov, n, static_cast<uint64_t>(cut)),
                                  static_cast<off_t>(offset + t.bytes));
      if (r < 0 && cut >= 0 && errno == EINVAL) errno = EFBIG;
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      t.error = errno;
      return t;
    }
    if (r == 0) {  // no progress and no error: the device cannot take more
      t.error = ENOSPC;
      return t;
    }
    t.bytes += static_cast<uint64_t>(r);
    cur.advance(static_cast<uint64_t>(r));
  }
  return t;
}

Transfer read_full(int fd, const Segment* segs, uint64_t count, uint64_t offset, uint32_t eof_align) {
  Transfer t;
  IovCursor cur{segs, count};
  iovec iov[kIovMax];
  SysIo& io = sys_io();
  while (!cur.done()) {
    uint64_t asked;
    int n = cur.fill(iov, &asked);
    ssize_t r = io.preadv(fd, iov, n, static_cast<off_t>(offset + t.bytes));
    if (r < 0) {
      if (errno == EINTR) continue;
      t.error = errno;
      return t;
    }
    if (r == 0) return t;  // end of file
    t.bytes += static_cast<uint64_t>(r);
    cur.advance(static_cast<uint64_t>(r));
    // A short direct read ending off the alignment grid is the end of the file; asking again at
    // that offset would fail with EINVAL instead of returning 0.
    if (static_cast<uint64_t>(r) < asked && eof_align > 1 && (offset + t.bytes) % eof_align != 0) return t;
  }
  return t;
}

}  // namespace sgio
