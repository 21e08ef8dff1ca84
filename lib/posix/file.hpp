// SPDX-License-Identifier: Apache-2.0
// An open file and the synchronous gather/scatter engine over it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/file_rules.hpp"
#include "posix/alignment.hpp"
#include "posix/vector_io.hpp"

namespace sgio {

// The validation rules, the alignment and the direct-read cut are FileRules' (core/file_rules.hpp).
class File : public FileRules {
 public:
  // Throws Error: not_found, exists, access_denied, is_directory, not_supported (no O_DIRECT), ...
  static std::shared_ptr<File> open(const std::string& path, const OpenFlags& flags);
  // Takes ownership of `fd` (closed when the last reference goes). Reads access mode and O_DIRECT.
  // Throws without closing `fd`: on failure the caller still owns it.
  static std::shared_ptr<File> adopt(int fd);

  ~File() override;

  int fd() const noexcept { return fd_; }
  // Gives the descriptor back: the destructor will not close it. Only for an adopted File that
  // never became visible (its handle could not be created), so that a failed adoption leaves the
  // caller owning the fd.
  void disown() noexcept { fd_ = -1; }
  // Gather write / scatter read of a validated request. `done` receives the bytes moved, also
  // when an Error is thrown (then it is the prefix that reached the file).
  void write_gather(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const;
  void read_scatter(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const;
  // The transfer behind both, for a request validate() has passed: write_all, or the direct-read
  // cut at end of file (clamp_direct_read) then read_full. Also the Win32 face's synchronous
  // ReadFile/WriteFile, so each rule lives here once.
  Transfer transfer(Access access, const Segment* segs, uint64_t count, uint64_t offset) const;

  void flush() const;
  uint64_t size() const override;
  void truncate(uint64_t size) const;

 protected:
  File(int fd, bool readable, bool writable, bool direct);

 private:
  int fd_;
};

// The rules for opening, shared by File::open, File::adopt and the Win32 face's CreateFile:
//
// open(2), retried on EINTR; -1 with errno set on failure. An O_DIRECT open of a directory fails
// with EISDIR: ext4 answers it with EINVAL, which would otherwise read as "no direct I/O here".
int open_fd(const std::string& path, int oflags, unsigned mode) noexcept;
// The open(2) flags for an access mode: O_CLOEXEC, O_RDWR / O_WRONLY / O_RDONLY (neither read nor
// write opens O_RDONLY; such a handle moves nothing, checked per call), O_DIRECT, O_DSYNC.
int access_oflags(bool read, bool write, bool direct, bool dsync) noexcept;
// The Error for a failed open_fd(): EINVAL on a `direct` open means the file system has no
// O_DIRECT (not_supported, without the errno, so no face reads it as a bad argument); anything
// else is classified by errc_from_errno. `what` names the call and path.
[[noreturn]] void throw_open_error(int err, const std::string& what, bool direct);
// What sgio reads and writes: regular files and block devices, the descriptors that have offsets.
// A directory is is_directory; a pipe, socket, eventfd or character device is not_supported (an
// io_uring read of an empty pipe would wait forever, and offsets mean nothing there). Throws
// without closing `fd`.
void check_file_type(int fd);
// check_file_type() for a descriptor this process just opened: closes `fd` before throwing, with
// `what` in front of the message.
void check_opened_fd(int fd, const std::string& what);

// Error(code, "<op>: <strerror>") for a failed Transfer; no-op when t.error == 0.
void throw_transfer_error(const Transfer& t, const char* op);

}  // namespace sgio
