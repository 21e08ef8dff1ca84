// SPDX-License-Identifier: Apache-2.0
#include "win32/byte_locks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "win32/nt_status.hpp"
#include "win32/share_mode.hpp"

namespace sgio::win32 {

namespace {

// The kernel's part of [offset, end): below share_zone_base.
struct Span {
  uint64_t begin;
  uint64_t end;
  bool empty() const noexcept { return begin >= end; }
};

// Ends may be 2^64 (a lock of the file's last byte): computed in 128 bits.
__extension__ typedef unsigned __int128 End;
End end_of(uint64_t offset, uint64_t length) { return End{offset} + length; }

Span kernel_span(uint64_t offset, uint64_t length) {
  const End end = end_of(offset, length);
  return Span{std::min(offset, share_zone_base), end < share_zone_base ? static_cast<uint64_t>(end) : share_zone_base};
}

bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) {
  // Windows: a zero-length lock at x conflicts with a range that holds x inside it.
  if (alen == 0) return b < a && a < end_of(b, blen);
  if (blen == 0) return a < b && b < end_of(a, alen);
  return a < end_of(b, blen) && b < end_of(a, alen);
}

// F_OFD_SETLK(W) of `type` on the span; false if another description holds a conflicting lock
// (only when !wait).
bool set_lock(int fd, short type, Span s, bool wait) {
  struct flock l {};
  l.l_type = type;
  l.l_whence = SEEK_SET;
  l.l_start = static_cast<off_t>(s.begin);
  l.l_len = static_cast<off_t>(s.end - s.begin);
  while (::fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &l) != 0) {
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EACCES) return false;
    if (errno == EBADF) fail_win32(err::access_denied, "LockFileEx: the handle's access does not allow this lock");
    throw_errno(errno, "LockFileEx: fcntl(F_OFD_SETLK)");
  }
  return true;
}

[[noreturn]] void lock_violation() {
  throw Failure(err::lock_violation, Errc::busy, "LockFileEx: another handle (or this one) holds a conflicting lock");
}

}  // namespace

ByteLocks::LockFd::~LockFd() {
  if (owned) {
    ::close(fd);  // the reopened description's locks go with it
    return;
  }
  struct flock l {};
  l.l_type = F_UNLCK;
  l.l_whence = SEEK_SET;
  l.l_start = 0;
  l.l_len = static_cast<off_t>(share_zone_base);
  while (::fcntl(fd, F_OFD_SETLK, &l) != 0 && errno == EINTR) {
  }
}

std::shared_ptr<ByteLocks::LockFd> ByteLocks::lock_fd(int handle_fd) {
  if (fd_) return fd_;
  // Shared locks need a readable description and exclusive ones a writable one, whatever the
  // handle's access (Windows asks only for read or write access): a read-write reopen of the
  // same inode when the file allows it, else the handle's own descriptor.
  const std::string self = "/proc/self/fd/" + std::to_string(handle_fd);
  const int fd = ::open(self.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY);
  fd_ = std::make_shared<LockFd>(fd >= 0 ? fd : handle_fd, fd >= 0);
  return fd_;
}

void ByteLocks::lock(int handle_fd, uint64_t offset, uint64_t length, bool exclusive, bool wait) {
  if (end_of(offset, length) > (End{1} << 64))
    fail_win32(err::invalid_lock_range, "LockFileEx: the range wraps past 2^64");
  const Span span = kernel_span(offset, length);
  const short type = exclusive ? F_WRLCK : F_RDLCK;
  std::shared_ptr<LockFd> fd;
  uint64_t releases;
  {
    std::lock_guard lock(mu_);
    for (const Held& h : held_)
      if ((exclusive || h.exclusive) && overlaps(offset, length, h.offset, h.length)) lock_violation();
    if (length == 0 || span.empty()) {
      held_.push_back(Held{offset, length, exclusive});
      return;
    }
    fd = lock_fd(handle_fd);
    if (!wait) {
      if (!set_lock(fd->fd, type, span, false)) lock_violation();
      held_.push_back(Held{offset, length, exclusive});
      return;
    }
    releases = releases_;
  }
  // A waiting lock waits without the list's lock, so the handle's other threads can unlock; `fd`
  // keeps the description open meanwhile.
  set_lock(fd->fd, type, span, true);
  std::lock_guard lock(mu_);
  if (releases_ != releases) {
    if (!fd->owned) set_lock(fd->fd, F_UNLCK, span, false);  // an owned one closes with `fd`
    throw Failure(err::operation_aborted, Errc::canceled, "LockFileEx: the handle was closed during the wait");
  }
  held_.push_back(Held{offset, length, exclusive});
}

void ByteLocks::unlock(uint64_t offset, uint64_t length) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(held_.begin(), held_.end(),
                         [&](const Held& h) { return h.offset == offset && h.length == length; });
  if (it == held_.end())
    throw Failure(err::not_locked, Errc::invalid_argument, "UnlockFileEx: this handle holds no lock with that range");
  held_.erase(it);
  const Span span = kernel_span(offset, length);
  if (length == 0 || span.empty() || !fd_) return;
  // Give back the bytes no remaining lock of this handle covers (the others are shared locks:
  // an exclusive one overlaps nothing).
  std::vector<Span> covered;
  for (const Held& h : held_) {
    if (h.length == 0) continue;
    Span c = kernel_span(h.offset, h.length);
    c.begin = std::max(c.begin, span.begin);
    c.end = std::min(c.end, span.end);
    if (!c.empty()) covered.push_back(c);
  }
  std::sort(covered.begin(), covered.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  uint64_t at = span.begin;
  for (const Span& c : covered) {
    if (c.begin > at) set_lock(fd_->fd, F_UNLCK, Span{at, c.begin}, false);
    at = std::max(at, c.end);
  }
  if (at < span.end) set_lock(fd_->fd, F_UNLCK, Span{at, span.end}, false);
}

void ByteLocks::release() noexcept {
  std::shared_ptr<LockFd> fd;
  {
    std::lock_guard lock(mu_);
    held_.clear();
    ++releases_;
    fd = std::move(fd_);
  }
  // `fd` goes here (closing or unlocking), unless a waiting LockFileEx still holds it.
}

}  // namespace sgio::win32
