// SPDX-License-Identifier: Apache-2.0
#include "win32/win32_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "win32/io_backend.hpp"
#include "win32/nt_status.hpp"
#include "win32/overlapped_op.hpp"

namespace sgio::win32 {

namespace {

// ENOENT means ERROR_FILE_NOT_FOUND when the directory exists and ERROR_PATH_NOT_FOUND when a
// directory on the way is missing.
uint32_t not_found_code(const std::string& path) {
  std::string::size_type slash = path.find_last_of('/');
  if (slash == std::string::npos) return err::file_not_found;
  std::string dir = slash == 0 ? "/" : path.substr(0, slash);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return err::path_not_found;
  return err::file_not_found;
}

// The shared rule (throw_open_error), plus the one distinction only Windows makes.
[[noreturn]] void fail_open(int e, const std::string& path, bool direct) {
  std::string what = "CreateFile '" + path + "'";
  if (e == ENOENT) throw Failure(not_found_code(path), Errc::not_found, what + ": no such file or directory", e);
  throw_open_error(e, what, direct);
}

}  // namespace

Win32File::Win32File(int fd, const CreateOptions& o, std::string path)
    : File(fd, o.read, o.write, o.no_buffering),
      overlapped_(o.overlapped),
      delete_on_close_(o.delete_on_close),
      path_(std::move(path)) {}

std::shared_ptr<Win32File> Win32File::create(const std::string& path, const CreateOptions& o, bool& existed) {
  existed = false;
  if (path.empty()) fail_win32(err::path_not_found, "CreateFile: empty path");
  if (o.disposition == Disposition::truncate_existing && !o.write)
    fail_invalid_parameter("CreateFile: TRUNCATE_EXISTING needs GENERIC_WRITE");
  // Linux has no "no access" open; such a handle reads and writes nothing (checked per call).
  const int base = access_oflags(o.read, o.write, o.no_buffering, o.write_through);
  const mode_t mode = o.readonly_attribute ? 0444 : 0666;

  // Truncation waits for the share check (a refused open must leave the file alone), so no
  // O_TRUNC here.
  bool truncate = o.disposition == Disposition::truncate_existing;
  int fd = -1;
  switch (o.disposition) {
    case Disposition::create_new:
      fd = open_fd(path, base | O_CREAT | O_EXCL, mode);
      break;
    case Disposition::open_existing:
    case Disposition::truncate_existing:
      fd = open_fd(path, base, mode);
      break;
    case Disposition::create_always:
    case Disposition::open_always: {
      // Create exclusively first so that we know whether the file existed (ERROR_ALREADY_EXISTS);
      // retry if it vanishes in between.
      for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {
        fd = open_fd(path, base | O_CREAT | O_EXCL, mode);
        if (fd >= 0 || errno != EEXIST) break;
        fd = open_fd(path, base, mode);
        if (fd >= 0) existed = true;
        else if (errno != ENOENT) break;
      }
      truncate = existed && o.disposition == Disposition::create_always;
      break;
    }
    default:
      fail_invalid_parameter("CreateFile: unknown creation disposition " +
                             std::to_string(static_cast<uint32_t>(o.disposition)));
  }
  if (fd < 0) fail_open(errno, path, o.no_buffering);

  try {
    // A directory is ERROR_ACCESS_DENIED (Windows opens directories only with
    // FILE_FLAG_BACKUP_SEMANTICS, which sgio does not offer); a pipe or device ERROR_NOT_SUPPORTED.
    check_opened_fd(fd, "CreateFile '" + path + "'");
    ShareRequest share;
    share.read = o.read;
    share.write = o.write;
    share.del = o.delete_access || o.delete_on_close;
    share.share = o.share;
    std::unique_ptr<ShareLease> lease = ShareLease::acquire(fd, share);
    if (truncate) {
      // A handle without write access truncates through the path of the same inode, as O_TRUNC did.
      const int r = o.write ? ::ftruncate(fd, 0) : ::truncate(("/proc/self/fd/" + std::to_string(fd)).c_str(), 0);
      if (r != 0) throw_errno(errno, "CreateFile '" + path + "': truncate");
    }
    std::shared_ptr<Win32File> file(new Win32File(fd, o, path));
    file->share_ = std::move(lease);
    return file;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

void Win32File::bind(std::shared_ptr<CompletionPort> port, uintptr_t key) {
  if (!overlapped_)
    fail_invalid_parameter("CreateIoCompletionPort: the file was not opened with FILE_FLAG_OVERLAPPED");
  std::lock_guard lock(mu_);
  if (port_) fail_invalid_parameter("CreateIoCompletionPort: the file is already bound to a completion port");
  port_ = std::move(port);
  key_ = key;
}

std::shared_ptr<CompletionPort> Win32File::port(uintptr_t& key) const {
  std::lock_guard lock(mu_);
  key = key_;
  return port_;
}

void Win32File::add_notification_modes(uint8_t modes) noexcept {
  std::lock_guard lock(mu_);
  modes_ |= modes;  // modes cannot be removed once set
}

uint8_t Win32File::notification_modes() const noexcept {
  std::lock_guard lock(mu_);
  return modes_;
}

std::shared_ptr<CompletionPort> Win32File::port_and_modes(uintptr_t& key, uint8_t& modes) const {
  std::lock_guard lock(mu_);
  key = key_;
  modes = modes_;
  return port_;
}

namespace {

bool owned_by(const IoRequest& r, const Win32File* f) noexcept {
  return static_cast<const OverlappedOp&>(r).owner_file() == f;
}

}  // namespace

size_t Win32File::cancel(const Overlapped* ov) noexcept {
  Backend* b = current_io_backend();
  if (!b) return 0;  // no engine yet: nothing was ever in flight
  std::lock_guard lock(b->mutex());
  if (ov) return b->cancel_key_locked(reinterpret_cast<uintptr_t>(ov), [this](const IoRequest& r) { return owned_by(r, this); });
  // Cancelling never completes a request (Backend::cancel_key_locked), so the list stays as is.
  size_t found = 0;
  for (OverlappedOp* op = in_flight_; op; op = op->file_next_)
    if (b->cancel_request_locked(op)) ++found;
  return found;
}

bool Win32File::tracking(const Overlapped* ov) const {
  Backend* b = current_io_backend();
  if (!b) return false;
  std::lock_guard lock(b->mutex());
  return b->in_flight_locked(reinterpret_cast<uintptr_t>(ov), [this](const IoRequest& r) { return owned_by(r, this); });
}

Win32File::Awaited Win32File::wait_for(const Overlapped* ov, const Deadline& deadline) {
  Backend* b = current_io_backend();
  if (!b) return Awaited::not_ours;
  std::unique_lock lock(b->mutex());
  const uint64_t key = reinterpret_cast<uintptr_t>(ov);
  auto gone = [&] { return !b->in_flight_locked(key, [this](const IoRequest& r) { return owned_by(r, this); }); };
  if (gone()) return Awaited::not_ours;
  return b->wait(lock, cv_, gone, deadline.at()) ? Awaited::finished : Awaited::timed_out;
}

bool Win32File::wait_idle(const Deadline& deadline) {
  Backend* b = current_io_backend();
  if (!b) return true;
  std::unique_lock lock(b->mutex());
  return b->wait(lock, cv_, [&] { return in_flight_count_ == 0; }, deadline.at());
}

void Win32File::on_close() {
  // A request starting now checks this under the engine's mutex before it links itself, and the
  // cancel below takes that mutex after: each request is either refused or cancelled and waited for.
  closing_.store(true);
  cancel(nullptr);
  wait_idle(Deadline(infinite));
  byte_locks_.release();
  if (share_) share_->release();
  if (delete_on_close_) ::unlink(path_.c_str());
}

void delete_file(const std::string& path) {
  if (path.empty()) fail_win32(err::path_not_found, "DeleteFile: empty path");
  check_delete_shared(path);
  if (::unlink(path.c_str()) == 0) return;
  int e = errno;
  std::string what = "DeleteFile '" + path + "'";
  if (e == ENOENT) throw Failure(not_found_code(path), Errc::not_found, what + ": no such file or directory", e);
  if (e == EISDIR || e == EPERM) throw Failure(err::access_denied, Errc::access_denied, what + ": is a directory", e);
  throw_errno(e, what);
}

}  // namespace sgio::win32
