// SPDX-License-Identifier: Apache-2.0
// Full-transfer gather write and scatter read over pwritev/preadv.
#pragma once

#include <sys/uio.h>

#include <cstdint>

#include "core/file_rules.hpp"  // Segment

namespace sgio {

// Linux refuses more than IOV_MAX iovecs per call and transfers at most this many bytes per
// call (MAX_RW_COUNT = INT_MAX rounded down to a page); larger requests are split at both.
constexpr int kIovMax = 1024;
constexpr uint64_t kMaxBytesPerCall = 0x7ffff000;

// Walks a request chunk by chunk: which segment, and how far into it, the next byte comes from.
// Shared by the synchronous loop and the io_uring backend.
struct IovCursor {
  const Segment* segs;
  uint64_t count;
  uint64_t index = 0;
  uint64_t skip = 0;  // bytes of segs[index] already transferred

  bool done() const { return index == count; }
  // Fills iov[0..kIovMax) with the next chunk, at most kMaxBytesPerCall bytes, merging adjacent
  // segments into one entry. Returns the number of entries; *bytes (if not NULL) gets their sum.
  int fill(iovec* iov, uint64_t* bytes = nullptr) const;
  // Marks `bytes` more as transferred.
  void advance(uint64_t bytes);
};

struct Transfer {
  uint64_t bytes = 0;  // bytes moved, a prefix of the request
  int error = 0;       // 0, or the errno that stopped the transfer
};

// Writes all of segs[0..count) at `offset`: short writes are resumed exactly where they stopped,
// EINTR is retried. Stops at the first error, reporting how much was written before it.
// A write that makes no progress (returns 0) stops with ENOSPC.
// Not noexcept: a test SysIo may throw, and the C boundary's guard must be what stops it.
// `direct_align` is the file's offset alignment on a direct file (1 when buffered): a direct write
// that RLIMIT_FSIZE cuts off the alignment grid writes its aligned prefix and stops with EFBIG
// (see fsize_cut).
Transfer write_all(int fd, const Segment* segs, uint64_t count, uint64_t offset, uint32_t direct_align = 1);

// RLIMIT_FSIZE and direct writes. The kernel shortens a write that crosses the limit to end at the
// limit; when the limit is not a multiple of the alignment, the shortened direct write is refused
// whole with EINVAL, so nothing would be written although an aligned prefix fits. Given the EINVAL
// of a direct write of `asked` bytes at `pos`: the aligned byte count below the limit to write
// instead, 0 when no aligned byte fits (the write fails with EFBIG), or -1 when the limit is not
// the cause (EINVAL stands). The one implementation for the sync loop and the io_uring backend.
int64_t fsize_cut(uint64_t pos, uint64_t asked, uint32_t direct_align) noexcept;

// Shortens iov[0..n) to its first `bytes` bytes; returns the new entry count.
int truncate_iov(iovec* iov, int n, uint64_t bytes) noexcept;

// Reads into segs[0..count) from `offset` until they are full or end of file. `eof_align` is the
// file's offset alignment (File::alignment, 1 when buffered); above 1 it means direct I/O, where a
// short read that leaves the position unaligned can only be end of file.
Transfer read_full(int fd, const Segment* segs, uint64_t count, uint64_t offset, uint32_t eof_align);

}  // namespace sgio
