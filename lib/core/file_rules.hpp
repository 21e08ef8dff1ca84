// SPDX-License-Identifier: Apache-2.0
// What every open file checks before it moves a byte, whatever the system below it: the request
// shapes (Segment, Alignment, Access), the validation rules, and the direct-read cut at end of
// file. lib/posix/file.hpp and lib/windows/file.hpp derive their File from FileRules, so each rule
// is written once for both systems.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/object.hpp"

namespace sgio {

// Same layout as the public sgio_segment (checked at the C boundary), as iovec on LP64, and as
// the {buffer, length} pairs the Windows engine turns into WriteFile runs.
struct Segment {
  uint64_t buffer;
  uint64_t length;
};

// Direct-I/O alignment as the file system reports it.
struct Alignment {
  uint32_t memory = 1;  // buffer addresses
  uint32_t offset = 1;  // file offsets and segment lengths
};

enum class Access { read, write };

// What sgio_file_open asks for, on either system.
struct OpenFlags {
  bool read = true;
  bool write = true;
  bool create = false;
  bool exclusive = false;
  bool truncate = false;
  bool direct = false;  // O_DIRECT / FILE_FLAG_NO_BUFFERING
  bool dsync = false;   // O_DSYNC / FILE_FLAG_WRITE_THROUGH
  uint32_t mode = 0644;  // a new file's permissions (Windows: no write bit = read-only attribute)
};

// The largest offset, total and end offset a request may have (off_t / LARGE_INTEGER are signed).
constexpr uint64_t kMaxFileOffset = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// Room for a private copy of a caller's segment array (FileRules::validate_caller). 1 KiB: fits
// any stack, covers the usual request (the seed's engine gathers 1 to 64 pages).
struct SegmentSnapshot {
  static constexpr uint64_t capacity = 64;
  Segment items[capacity];
};

// Implemented by the system layer (posix/user_memory.cpp, windows/user_memory.cpp): whether every
// byte of [src, src + bytes) is readable (true for 0 bytes, false for NULL), found out without
// touching an unreadable byte; and that check followed by a copy into `dst` (false, `dst`
// untouched, when any byte is not readable).
bool readable(const void* src, size_t bytes) noexcept;
bool copy_from_caller(void* dst, const void* src, size_t bytes) noexcept;

class FileRules : public Object {
 public:
  static constexpr Kind kind_tag = Kind::file;

  bool readable() const noexcept { return readable_; }
  bool writable() const noexcept { return writable_; }
  bool direct() const noexcept { return direct_; }
  // {1, 1} for a buffered file.
  Alignment alignment() const noexcept { return alignment_; }
  // The file system's direct-I/O alignment, whatever the mode.
  Alignment direct_alignment() const noexcept { return direct_alignment_; }

  // The file's size in bytes (a block device's size for a device).
  virtual uint64_t size() const = 0;

  // Throws Error for anything the kernel would reject or that would make us lie about the
  // result: NULL array, zero segments, NULL buffers, zero lengths, totals or end offsets beyond
  // INT64_MAX, wrong access mode, misalignment on a direct file. Returns the total byte count.
  // `segs` must be memory sgio owns or has copied (see validate_caller for the caller's arrays).
  uint64_t validate(const Segment* segs, uint64_t count, uint64_t offset, Access access) const;
  // validate() for an array in the caller's memory, probed first (sgio::readable): an unreadable
  // array is Error(fault), never a crash. Arrays of up to SegmentSnapshot::capacity segments are
  // copied into `snap` and the copy is validated and returned, so what was validated is what the
  // I/O uses; longer ones are validated and used in place. `total` receives the byte count.
  const Segment* validate_caller(const Segment* segs, uint64_t count, uint64_t offset, Access access,
                                 SegmentSnapshot& snap, uint64_t& total) const;

  // A direct read that crosses end of file makes the kernel zero-fill the caller's buffers past
  // it while returning the short count, which would break "segments past what was read are left
  // untouched". So direct reads are cut at end of file rounded up to the offset alignment (the
  // kernel may still fill the rest of that last sector, as Windows does). Returns the number of
  // segments to read: `segs` unchanged when no cut is needed, else `storage` holding the cut
  // copy; 0 when `offset` is at or past end of file. Buffered files are returned unchanged.
  uint64_t clamp_direct_read(const Segment*& segs, uint64_t count, uint64_t offset,
                             std::vector<Segment>& storage) const;
  // The same rule for a byte count: `bytes` cut at end of file rounded up to the offset alignment
  // on a direct file (0 at or past end of file); `bytes` unchanged on a buffered one.
  uint64_t direct_read_limit(uint64_t offset, uint64_t bytes) const;

 protected:
  // `direct_alignment` is what the file system requires of direct I/O; it applies when `direct`.
  FileRules(bool readable, bool writable, bool direct, Alignment direct_alignment) noexcept;
  // Throws Error(access_denied | overflow) for a truncate the file cannot take.
  void check_truncate(uint64_t size) const;

 private:
  // The parts of validate(): the request as a whole, then segments [first, first + n) of it.
  void check_request(const Segment* segs, uint64_t count, uint64_t offset, Access access) const;
  void check_segments(const Segment* segs, uint64_t first, uint64_t n, uint64_t& total) const;

  bool readable_;
  bool writable_;
  bool direct_;
  Alignment alignment_;
  Alignment direct_alignment_;
};

}  // namespace sgio
