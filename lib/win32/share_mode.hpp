// SPDX-License-Identifier: Apache-2.0
// CreateFile share modes between every opener of a file, in this process and in others, over
// Linux open-file-description (OFD) locks on bytes no data reaches (share_zone_base and up).
//
// Each opener holds shared (read) locks on the bytes that say what it does: HAVE_x for each
// access x it has (read, write, delete) and DENY_x for each x its share mode does not allow. A
// new opener conflicts with an existing one exactly when it finds, held by another open file
// description, a DENY_x for an access x it wants, or a HAVE_x for an x it does not share: the
// Windows rule (the new open must be allowed by every opener's share mode, and its share mode
// must allow every opener's access). It takes its own locks first and then tests, so of two
// racing openers at most one wins (each test comes after the tester's own locks); both backing
// off is followed by a randomised retry. The kernel drops the locks when the description's last
// descriptor closes, also when the process is killed: a crash releases its share modes.
// Share checks use F_OFD_GETLK on a write lock, which needs no write access; the locks held are
// read locks, which need a readable descriptor (the handle's own, or a read-only reopen of the
// same inode for a write-only handle).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sgio::win32 {

// Bytes [share_zone_base, OFF_MAX] are sgio's; LockFileEx ranges end below it.
constexpr uint64_t share_zone_base = 0x7FFFFFFFFFFFFF00ull;

// FILE_SHARE_* and what an opener does with the file.
constexpr uint32_t share_read = 0x1;
constexpr uint32_t share_write = 0x2;
constexpr uint32_t share_delete = 0x4;

struct ShareRequest {
  bool read = false;    // FILE_READ_DATA / GENERIC_READ ...
  bool write = false;   // FILE_WRITE_DATA / FILE_APPEND_DATA / GENERIC_WRITE ...
  bool del = false;     // DELETE, or FILE_FLAG_DELETE_ON_CLOSE
  uint32_t share = 0;   // FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE
};

// An opener's place among the file's openers; destroying it gives the place up (the locks on the
// handle's own descriptor go when that descriptor closes).
class ShareLease {
 public:
  // Joins the openers of the file open as `fd`. Throws Failure(ERROR_SHARING_VIOLATION) when an
  // opener's share mode refuses this one or this one's refuses an opener. An opener with no
  // read, write or delete access takes part in nothing (Windows skips the check for it), and
  // gets nullptr.
  static std::unique_ptr<ShareLease> acquire(int fd, const ShareRequest& request);
  ~ShareLease() { release(); }
  ShareLease(const ShareLease&) = delete;
  ShareLease& operator=(const ShareLease&) = delete;

  // Gives the place up now (CloseHandle): later openers no longer see this one.
  void release() noexcept;

 private:
  ShareLease(int lock_fd, bool owned, std::vector<uint64_t> mine) noexcept
      : fd_(lock_fd), owned_(owned), mine_(std::move(mine)) {}
  int fd_;
  bool owned_;  // a read-only reopen of our own, closed with the lease
  std::vector<uint64_t> mine_;  // the fact bytes held
};

// DeleteFile's check: ERROR_SHARING_VIOLATION if an opener of `path` does not share delete.
void check_delete_shared(const std::string& path);

}  // namespace sgio::win32
