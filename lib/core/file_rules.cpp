// SPDX-License-Identifier: Apache-2.0
#include "core/file_rules.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace sgio {

namespace {

std::string describe_segment(uint64_t i, const Segment& s) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "segment %" PRIu64 " {buffer 0x%" PRIx64 ", length %" PRIu64 "}", i, s.buffer,
                s.length);
  return buf;
}

}  // namespace

FileRules::FileRules(bool readable, bool writable, bool direct, Alignment direct_alignment) noexcept
    : Object(Kind::file), readable_(readable), writable_(writable), direct_(direct),
      direct_alignment_(direct_alignment) {
  if (direct_) alignment_ = direct_alignment_;
}

void FileRules::check_request(const Segment* segs, uint64_t count, uint64_t offset, Access access) const {
  if (access == Access::write && !writable_) fail(Errc::access_denied, "write: the file is not open for writing");
  if (access == Access::read && !readable_) fail(Errc::access_denied, "read: the file is not open for reading");
  if (!segs) fail(Errc::invalid_argument, "segment array is NULL");
  if (count == 0) fail(Errc::invalid_argument, "segment count is 0");
  if (offset > kMaxFileOffset) fail(Errc::overflow, "offset " + std::to_string(offset) + " is beyond INT64_MAX");
  if (direct_ && offset % alignment_.offset != 0)
    fail(Errc::alignment, "direct I/O: offset " + std::to_string(offset) + " is not a multiple of " +
                              std::to_string(alignment_.offset));
}

void FileRules::check_segments(const Segment* segs, uint64_t first, uint64_t n, uint64_t& total) const {
  for (uint64_t k = 0; k < n; ++k) {
    const Segment& s = segs[k];
    const uint64_t i = first + k;
    if (s.buffer == 0) fail(Errc::invalid_argument, describe_segment(i, s) + " has a NULL buffer");
    if (s.length == 0) fail(Errc::invalid_argument, describe_segment(i, s) + " has length 0");
    if (direct_ && (s.buffer % alignment_.memory != 0 || s.length % alignment_.offset != 0))
      fail(Errc::alignment, "direct I/O: " + describe_segment(i, s) + " is not aligned: buffers must be multiples of " +
                                std::to_string(alignment_.memory) + " and lengths of " +
                                std::to_string(alignment_.offset));
    if (s.length > kMaxFileOffset - total)
      fail(Errc::overflow, "total length overflows at " + describe_segment(i, s));
    total += s.length;
  }
}

uint64_t FileRules::validate(const Segment* segs, uint64_t count, uint64_t offset, Access access) const {
  check_request(segs, count, offset, access);
  uint64_t total = 0;
  check_segments(segs, 0, count, total);
  if (total > kMaxFileOffset - offset)
    fail(Errc::overflow, "offset " + std::to_string(offset) + " + " + std::to_string(total) + " bytes is beyond INT64_MAX");
  return total;
}

const Segment* FileRules::validate_caller(const Segment* segs, uint64_t count, uint64_t offset, Access access,
                                          SegmentSnapshot& snap, uint64_t& total) const {
  check_request(segs, count, offset, access);
  // count < 2^64 / 16 in practice: the faces pass 32-bit counts.
  if (!sgio::readable(segs, count * sizeof(Segment))) {
    char where[64];
    std::snprintf(where, sizeof where, "0x%" PRIxPTR, reinterpret_cast<uintptr_t>(segs));
    throw Error(Errc::fault,
                "segment array at " + std::string(where) + " (" + std::to_string(count) +
                    " segments) is not readable memory",
                EFAULT);
  }
  if (count <= SegmentSnapshot::capacity) {
    std::memcpy(snap.items, segs, count * sizeof(Segment));
    segs = snap.items;
  }
  total = validate(segs, count, offset, access);
  return segs;
}

uint64_t FileRules::clamp_direct_read(const Segment*& segs, uint64_t count, uint64_t offset,
                                      std::vector<Segment>& storage) const {
  if (!direct_) return count;
  uint64_t limit = direct_read_limit(offset, UINT64_MAX);
  if (limit == 0) return 0;
  uint64_t total = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (segs[i].length >= limit - total) {
      if (segs[i].length == limit - total && i + 1 == count) return count;  // ends exactly there
      storage.assign(segs, segs + i + 1);
      storage.back().length = limit - total;
      segs = storage.data();
      return storage.size();
    }
    total += segs[i].length;
  }
  return count;  // the whole request lies before end of file
}

uint64_t FileRules::direct_read_limit(uint64_t offset, uint64_t bytes) const {
  if (!direct_) return bytes;
  uint64_t end = size();
  if (offset >= end) return 0;
  uint64_t align = alignment_.offset;
  uint64_t avail = (end - offset + align - 1) / align * align;
  return avail < bytes ? avail : bytes;
}

void FileRules::check_truncate(uint64_t size) const {
  if (!writable_) fail(Errc::access_denied, "truncate: the file is not open for writing");
  if (size > kMaxFileOffset) fail(Errc::overflow, "size " + std::to_string(size) + " is beyond INT64_MAX");
}

}  // namespace sgio
