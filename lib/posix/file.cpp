// SPDX-License-Identifier: Apache-2.0
#include "posix/file.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <limits>

#include "core/error.hpp"
#include "posix/user_memory.hpp"

namespace sgio {

namespace {

constexpr uint64_t kMaxOffset = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

std::string describe_segment(uint64_t i, const Segment& s) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "segment %" PRIu64 " {buffer 0x%" PRIx64 ", length %" PRIu64 "}", i, s.buffer,
                s.length);
  return buf;
}

}  // namespace

void check_file_type(int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int err = errno;
    throw_errno(err, "fstat");
  }
  if (S_ISDIR(st.st_mode)) fail(Errc::is_directory, "is a directory");
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
    fail(Errc::not_supported,
         "not a regular file or block device (pipes, sockets, eventfds and character devices have no file offsets)");
}

void check_opened_fd(int fd, const std::string& what) {
  try {
    check_file_type(fd);
  } catch (const Error& e) {
    ::close(fd);
    throw Error(e.code(), what + ": " + e.what(), e.sys_errno());
  }
}

void throw_open_error(int err, const std::string& what, bool direct) {
  if (err == EINVAL && direct)
    throw Error(Errc::not_supported, what + ": the file system does not support direct I/O (O_DIRECT)");
  throw_errno(err, what);
}

int access_oflags(bool read, bool write, bool direct, bool dsync) noexcept {
  int oflags = O_CLOEXEC | (read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY);
  if (direct) oflags |= O_DIRECT;
  if (dsync) oflags |= O_DSYNC;
  return oflags;
}

int open_fd(const std::string& path, int oflags, unsigned mode) noexcept {
  int fd;
  do {
    fd = ::open(path.c_str(), oflags, static_cast<mode_t>(mode));
  } while (fd < 0 && errno == EINTR);
  if (fd < 0 && errno == EINVAL && (oflags & O_DIRECT)) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) errno = EISDIR;
    else errno = EINVAL;
  }
  return fd;
}

File::File(int fd, bool readable, bool writable, bool direct)
    : Object(Kind::file), fd_(fd), readable_(readable), writable_(writable), direct_(direct) {
  direct_alignment_ = query_direct_alignment(fd);
  if (direct_) alignment_ = direct_alignment_;
}

File::~File() { ::close(fd_); }

std::shared_ptr<File> File::open(const std::string& path, const OpenFlags& f) {
  if (!f.read && !f.write) fail(Errc::invalid_argument, "open: neither read nor write access requested");
  if (f.truncate && !f.write) fail(Errc::invalid_argument, "open: truncate needs write access");
  if (f.exclusive && !f.create) fail(Errc::invalid_argument, "open: exclusive needs create");
  if (path.empty()) fail(Errc::not_found, "open: empty path");
  int oflags = access_oflags(f.read, f.write, f.direct, f.dsync);
  if (f.create) oflags |= O_CREAT;
  if (f.exclusive) oflags |= O_EXCL;
  if (f.truncate) oflags |= O_TRUNC;
  const std::string what = "open '" + path + "'";
  int fd = open_fd(path, oflags, f.mode);
  if (fd < 0) throw_open_error(errno, what, f.direct);
  check_opened_fd(fd, what);
  try {
    return std::shared_ptr<File>(new File(fd, f.read, f.write, f.direct));
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::shared_ptr<File> File::adopt(int fd) {
  if (fd < 0) fail(Errc::invalid_argument, "adopt: negative file descriptor");
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) {
    int err = errno;
    if (err == EBADF) throw Error(Errc::bad_handle, "adopt: file descriptor " + std::to_string(fd) + " is not open", err);
    throw_errno(err, "adopt: fcntl");
  }
  check_file_type(fd);
  int acc = fl & O_ACCMODE;
  return std::shared_ptr<File>(new File(fd, acc == O_RDONLY || acc == O_RDWR, acc == O_WRONLY || acc == O_RDWR,
                                        (fl & O_DIRECT) != 0));
}

void File::check_request(const Segment* segs, uint64_t count, uint64_t offset, Access access) const {
  if (access == Access::write && !writable_) fail(Errc::access_denied, "write: the file is not open for writing");
  if (access == Access::read && !readable_) fail(Errc::access_denied, "read: the file is not open for reading");
  if (!segs) fail(Errc::invalid_argument, "segment array is NULL");
  if (count == 0) fail(Errc::invalid_argument, "segment count is 0");
  if (offset > kMaxOffset) fail(Errc::overflow, "offset " + std::to_string(offset) + " is beyond INT64_MAX");
  if (direct_ && offset % alignment_.offset != 0)
    fail(Errc::alignment, "direct I/O: offset " + std::to_string(offset) + " is not a multiple of " +
                              std::to_string(alignment_.offset));
}

void File::check_segments(const Segment* segs, uint64_t first, uint64_t n, uint64_t& total) const {
  for (uint64_t k = 0; k < n; ++k) {
    const Segment& s = segs[k];
    const uint64_t i = first + k;
    if (s.buffer == 0) fail(Errc::invalid_argument, describe_segment(i, s) + " has a NULL buffer");
    if (s.length == 0) fail(Errc::invalid_argument, describe_segment(i, s) + " has length 0");
    if (direct_ && (s.buffer % alignment_.memory != 0 || s.length % alignment_.offset != 0))
      fail(Errc::alignment, "direct I/O: " + describe_segment(i, s) + " is not aligned: buffers must be multiples of " +
                                std::to_string(alignment_.memory) + " and lengths of " +
                                std::to_string(alignment_.offset));
    if (s.length > kMaxOffset - total)
      fail(Errc::overflow, "total length overflows at " + describe_segment(i, s));
    total += s.length;
  }
}

uint64_t File::validate(const Segment* segs, uint64_t count, uint64_t offset, Access access) const {
  check_request(segs, count, offset, access);
  uint64_t total = 0;
  check_segments(segs, 0, count, total);
  if (total > kMaxOffset - offset)
    fail(Errc::overflow, "offset " + std::to_string(offset) + " + " + std::to_string(total) + " bytes is beyond INT64_MAX");
  return total;
}

const Segment* File::validate_caller(const Segment* segs, uint64_t count, uint64_t offset, Access access,
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

void throw_transfer_error(const Transfer& t, const char* op) {
  if (t.error == 0) return;
  throw_errno(t.error, std::string(op) + " failed after " + std::to_string(t.bytes) + " bytes");
}

Transfer File::transfer(Access access, const Segment* segs, uint64_t count, uint64_t offset) const {
  if (access == Access::write) return write_all(fd_, segs, count, offset, alignment_.offset);
  std::vector<Segment> cut;
  count = clamp_direct_read(segs, count, offset, cut);
  if (count == 0) return Transfer{};
  return read_full(fd_, segs, count, offset, alignment_.offset);
}

void File::write_gather(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const {
  done = 0;
  SegmentSnapshot snap;
  uint64_t total;
  segs = validate_caller(segs, count, offset, Access::write, snap, total);
  Transfer t = transfer(Access::write, segs, count, offset);
  done = t.bytes;
  throw_transfer_error(t, "gather write");
}

void File::read_scatter(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const {
  done = 0;
  SegmentSnapshot snap;
  uint64_t total;
  segs = validate_caller(segs, count, offset, Access::read, snap, total);
  Transfer t = transfer(Access::read, segs, count, offset);
  done = t.bytes;
  throw_transfer_error(t, "scatter read");
}

uint64_t File::clamp_direct_read(const Segment*& segs, uint64_t count, uint64_t offset,
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

uint64_t File::direct_read_limit(uint64_t offset, uint64_t bytes) const {
  if (!direct_) return bytes;
  uint64_t end = size();
  if (offset >= end) return 0;
  uint64_t align = alignment_.offset;
  uint64_t avail = (end - offset + align - 1) / align * align;
  return avail < bytes ? avail : bytes;
}

void File::flush() const {
  int rc;
  do {
    rc = fdatasync(fd_);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) throw_errno(errno, "fdatasync");
}

uint64_t File::size() const {
  struct stat st {};
  if (fstat(fd_, &st) != 0) throw_errno(errno, "fstat");
  // A block device's st_size is 0; its size comes from the device (else direct reads of a
  // device would all stop at "end of file", tests/blockdev).
  if (S_ISBLK(st.st_mode)) {
    uint64_t bytes = 0;
    if (ioctl(fd_, BLKGETSIZE64, &bytes) != 0) throw_errno(errno, "ioctl(BLKGETSIZE64)");
    return bytes;
  }
  return static_cast<uint64_t>(st.st_size);
}

void File::truncate(uint64_t size) const {
  if (!writable_) fail(Errc::access_denied, "truncate: the file is not open for writing");
  if (size > kMaxOffset) fail(Errc::overflow, "size " + std::to_string(size) + " is beyond INT64_MAX");
  int rc;
  do {
    rc = ftruncate(fd_, static_cast<off_t>(size));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) throw_errno(errno, "ftruncate");
}

}  // namespace sgio
