// SPDX-License-Identifier: Apache-2.0
#include "win32/share_mode.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "win32/nt_status.hpp"

namespace sgio::win32 {

namespace {

// The byte of each fact, from share_zone_base.
enum Fact : uint64_t { have_read = 0, have_write, have_delete, deny_read, deny_write, deny_delete };

struct Facts {
  std::vector<uint64_t> mine;   // the bytes this opener holds
  std::vector<uint64_t> check;  // the bytes no other opener may hold
};

Facts facts_of(const ShareRequest& r) {
  Facts f;
  const bool access[3] = {r.read, r.write, r.del};
  const uint32_t share_bit[3] = {share_read, share_write, share_delete};
  for (uint64_t x = 0; x < 3; ++x) {
    const bool shared = (r.share & share_bit[x]) != 0;
    if (access[x]) {
      f.mine.push_back(have_read + x);
      f.check.push_back(deny_read + x);
    }
    if (!shared) {
      f.mine.push_back(deny_read + x);
      f.check.push_back(have_read + x);
    }
  }
  return f;
}

struct flock byte_lock(short type, uint64_t fact) {
  struct flock l {};
  l.l_type = type;
  l.l_whence = SEEK_SET;
  l.l_start = static_cast<off_t>(share_zone_base + fact);
  l.l_len = 1;
  return l;
}

// Whether another open file description holds a lock on the byte.
bool held_by_other(int fd, uint64_t fact) {
  struct flock l = byte_lock(F_WRLCK, fact);
  if (::fcntl(fd, F_OFD_GETLK, &l) != 0) throw_errno(errno, "share mode: F_OFD_GETLK");
  return l.l_type != F_UNLCK;
}

bool any_held(int fd, const std::vector<uint64_t>& facts) {
  for (uint64_t f : facts)
    if (held_by_other(fd, f)) return true;
  return false;
}

void set_all(int fd, const std::vector<uint64_t>& facts, short type) {
  for (uint64_t f : facts) {
    struct flock l = byte_lock(type, f);
    // Read locks only meet read locks and F_OFD_GETLK tests here: they cannot conflict.
    while (::fcntl(fd, F_OFD_SETLK, &l) != 0)
      if (errno != EINTR) throw_errno(errno, "share mode: F_OFD_SETLK");
  }
}

[[noreturn]] void sharing_violation() {
  throw Failure(err::sharing_violation, Errc::busy,
                "the file is open with a share mode that refuses this access, or this share mode refuses an "
                "opener's access");
}

// A read-only descriptor of the same inode (for a write-only handle), or -1 if the file is not
// readable by us: then the handle takes no part in share modes.
int reopen_read_only(int fd) {
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  return ::open(self.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

}  // namespace

std::unique_ptr<ShareLease> ShareLease::acquire(int fd, const ShareRequest& request) {
  if (!request.read && !request.write && !request.del) return nullptr;
  const Facts facts = facts_of(request);
  int lock_fd = fd;
  bool owned = false;
  if (!request.read) {
    lock_fd = reopen_read_only(fd);
    if (lock_fd < 0) return nullptr;
    owned = true;
  }
  std::unique_ptr<ShareLease> lease(new ShareLease(lock_fd, owned, facts.mine));
  // Two openers that lock at the same moment both see each other and back off; the random delay
  // makes a second collision unlikely, and after the last attempt the answer is a violation
  // (someone else holds the file in a conflicting mode at that moment).
  thread_local std::minstd_rand rng(static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id())));
  for (int attempt = 0; attempt < 64; ++attempt) {
    if (any_held(lock_fd, facts.check)) break;
    set_all(lock_fd, facts.mine, F_RDLCK);
    if (!any_held(lock_fd, facts.check)) return lease;
    set_all(lock_fd, facts.mine, F_UNLCK);
    std::this_thread::sleep_for(std::chrono::microseconds(50 + rng() % 1000));
  }
  lease.reset();  // nothing of ours is left locked
  sharing_violation();
}

void ShareLease::release() noexcept {
  if (fd_ < 0) return;
  if (owned_) {
    ::close(fd_);  // the reopened description's locks go with it
  } else {
    for (uint64_t f : mine_) {
      struct flock l = byte_lock(F_UNLCK, f);
      while (::fcntl(fd_, F_OFD_SETLK, &l) != 0 && errno == EINTR) {
      }
    }
  }
  fd_ = -1;
}

void check_delete_shared(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return;  // unreadable or absent: unlink decides
  bool refused = false;
  try {
    refused = held_by_other(fd, deny_delete);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (refused)
    throw Failure(err::sharing_violation, Errc::busy, "DeleteFile '" + path + "': the file is open without FILE_SHARE_DELETE");
}

}  // namespace sgio::win32
