// SPDX-License-Identifier: Apache-2.0
// LockFileEx/UnlockFileEx byte-range locks of one CreateFile handle, over Linux
// open-file-description locks (F_OFD_SETLK/F_OFD_SETLKW), so they exclude other handles of this
// process and of other processes, and the kernel drops them when the process dies.
//
// Windows' per-handle rules are kept in a list here (the kernel merges a description's ranges
// and would forget them): shared locks may overlap shared locks, an exclusive lock overlaps
// nothing the handle holds (ERROR_LOCK_VIOLATION), an unlock names exactly one lock held (offset
// and length, else ERROR_NOT_LOCKED), and a zero-length lock is legal. The kernel range is the
// lock's range cut at share_zone_base (share_mode.hpp): bytes beyond are sgio's, so a lock lying
// wholly there is kept only in the handle's list (other handles do not see it).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace sgio::win32 {

class ByteLocks {
 public:
  ByteLocks() = default;
  ~ByteLocks() { release(); }
  ByteLocks(const ByteLocks&) = delete;
  ByteLocks& operator=(const ByteLocks&) = delete;

  // Locks [offset, offset+length) on the file open as `handle_fd`. `wait`: until granted (the
  // caller's thread waits); else ERROR_LOCK_VIOLATION at once. ERROR_INVALID_LOCK_RANGE when the
  // range wraps past 2^64; ERROR_OPERATION_ABORTED when release() (CloseHandle) came during the
  // wait (the lock granted afterwards is given back).
  void lock(int handle_fd, uint64_t offset, uint64_t length, bool exclusive, bool wait);
  // Removes the lock with exactly this offset and length (ERROR_NOT_LOCKED if there is none).
  void unlock(uint64_t offset, uint64_t length);
  // Drops every lock now (CloseHandle).
  void release() noexcept;

 private:
  struct Held {
    uint64_t offset;
    uint64_t length;
    bool exclusive;
  };
  // The description the kernel locks belong to: a read-write reopen of our own (closed when the
  // last user lets go, so a waiting lock never meets a reused descriptor number), or the handle's.
  struct LockFd {
    LockFd(int d, bool o) noexcept : fd(d), owned(o) {}
    int fd;
    bool owned;
    ~LockFd();
    LockFd(const LockFd&) = delete;  // one owner of the descriptor
    LockFd& operator=(const LockFd&) = delete;
  };
  std::shared_ptr<LockFd> lock_fd(int handle_fd);

  std::mutex mu_;
  std::vector<Held> held_;
  std::shared_ptr<LockFd> fd_;
  uint64_t releases_ = 0;  // release() calls, so a waiter can tell one came meanwhile
};

}  // namespace sgio::win32
