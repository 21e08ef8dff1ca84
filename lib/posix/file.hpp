// SPDX-License-Identifier: Apache-2.0
// An open file and the synchronous gather/scatter engine over it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/object.hpp"
#include "posix/alignment.hpp"
#include "posix/vector_io.hpp"

namespace sgio {

struct OpenFlags {
  bool read = true;
  bool write = true;
  bool create = false;
  bool exclusive = false;
  bool truncate = false;
  bool direct = false;  // O_DIRECT
  bool dsync = false;   // O_DSYNC
  uint32_t mode = 0644;
};

enum class Access { read, write };

// Room for a private copy of a caller's segment array (File::validate_caller). 1 KiB: fits any
// stack, covers the usual request (the seed's engine gathers 1 to 64 pages).
struct SegmentSnapshot {
  static constexpr uint64_t capacity = 64;
  Segment items[capacity];
};

class File : public Object {
 public:
  static constexpr Kind kind_tag = Kind::file;

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
  bool readable() const noexcept { return readable_; }
  bool writable() const noexcept { return writable_; }
  bool direct() const noexcept { return direct_; }
  // {1, 1} for a buffered file.
  Alignment alignment() const noexcept { return alignment_; }
  // The file system's direct-I/O alignment, whatever the mode.
  Alignment direct_alignment() const noexcept { return direct_alignment_; }

  // Throws Error for anything the kernel would reject or that would make us lie about the
  // result: NULL array, zero segments, NULL buffers, zero lengths, totals or end offsets beyond
  // INT64_MAX, wrong access mode, misalignment on a direct file. Returns the total byte count.
  // `segs` must be memory sgio owns or has copied (see validate_caller for the caller's arrays).
  uint64_t validate(const Segment* segs, uint64_t count, uint64_t offset, Access access) const;
  // validate() for an array in the caller's memory, probed first (posix/user_memory.hpp): an
  // unreadable array is Error(fault), never SIGSEGV. Arrays of up to SegmentSnapshot::capacity
  // segments are copied into `snap` and the copy is validated and returned, so what was validated
  // is what the I/O uses; longer ones are validated and used in place. `total` receives the byte
  // count.
  const Segment* validate_caller(const Segment* segs, uint64_t count, uint64_t offset, Access access,
                                 SegmentSnapshot& snap, uint64_t& total) const;

  // Gather write / scatter read of a validated request. `done` receives the bytes moved, also
  // when an Error is thrown (then it is the prefix that reached the file).
  void write_gather(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const;
  void read_scatter(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const;
  // The transfer behind both, for a request validate() has passed: write_all, or the direct-read
  // cut at end of file (clamp_direct_read) then read_full. Also the Win32 face's synchronous
  // ReadFile/WriteFile, so each rule lives here once.
  Transfer transfer(Access access, const Segment* segs, uint64_t count, uint64_t offset) const;

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

  void flush() const;
  uint64_t size() const;
  void truncate(uint64_t size) const;

 protected:
  File(int fd, bool readable, bool writable, bool direct);

 private:
  // The parts of validate(): the request as a whole, then segments [first, first + n) of it.
  void check_request(const Segment* segs, uint64_t count, uint64_t offset, Access access) const;
  void check_segments(const Segment* segs, uint64_t first, uint64_t n, uint64_t& total) const;

 private:
  int fd_;
  bool readable_;
  bool writable_;
  bool direct_;
  Alignment alignment_;
  Alignment direct_alignment_;
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
