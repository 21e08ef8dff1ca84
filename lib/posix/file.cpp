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
    : FileRules(readable, writable, direct, query_direct_alignment(fd)), fd_(fd) {}

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

void throw_transfer_error(const Transfer& t, const char* op) {
  if (t.error == 0) return;
  throw_errno(t.error, std::string(op) + " failed after " + std::to_string(t.bytes) + " bytes");
}

Transfer File::transfer(Access access, const Segment* segs, uint64_t count, uint64_t offset) const {
  if (access == Access::write) return write_all(fd_, segs, count, offset, alignment().offset);
  std::vector<Segment> cut;
  count = clamp_direct_read(segs, count, offset, cut);
  if (count == 0) return Transfer{};
  return read_full(fd_, segs, count, offset, alignment().offset);
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
  check_truncate(size);
  int rc;
  do {
    rc = ftruncate(fd_, static_cast<off_t>(size));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) throw_errno(errno, "ftruncate");
}

}  // namespace sgio
