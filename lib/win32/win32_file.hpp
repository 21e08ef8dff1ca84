// SPDX-License-Identifier: Apache-2.0
// A file opened through CreateFile: an sgio::File (so the native face accepts the same handle)
// plus what Windows keeps per handle: the overlapped and no-buffering flags, the file pointer,
// the completion-port binding and notification modes, delete-on-close, and the overlapped
// requests in flight (for CancelIo/CancelIoEx, GetOverlappedResult and CloseHandle).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "posix/file.hpp"
#include "win32/byte_locks.hpp"
#include "win32/completion_port.hpp"
#include "win32/overlapped.hpp"
#include "win32/share_mode.hpp"
#include "win32/wait_deadline.hpp"

namespace sgio::win32 {

class OverlappedOp;
struct Starter;

// CreateFile's dispositions, as Windows numbers them.
enum class Disposition : uint32_t { create_new = 1, create_always = 2, open_existing = 3, open_always = 4,
                                    truncate_existing = 5 };

struct CreateOptions {
  bool read = false;
  bool write = false;
  Disposition disposition = Disposition::open_existing;
  bool overlapped = false;       // FILE_FLAG_OVERLAPPED
  bool no_buffering = false;     // FILE_FLAG_NO_BUFFERING -> O_DIRECT
  bool write_through = false;    // FILE_FLAG_WRITE_THROUGH -> O_DSYNC
  bool delete_on_close = false;  // FILE_FLAG_DELETE_ON_CLOSE
  bool readonly_attribute = false;  // FILE_ATTRIBUTE_READONLY on a new file -> mode 0444
  bool delete_access = false;  // DELETE (or FILE_FLAG_DELETE_ON_CLOSE), for share modes
  uint32_t share = 0;          // FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE
};

// SetFileCompletionNotificationModes flags.
constexpr uint8_t skip_port_on_success = 0x1;
constexpr uint8_t skip_set_event_on_handle = 0x2;

class Win32File final : public File {
 public:
  // Opens or creates `path`. `existed` tells CREATE_ALWAYS/OPEN_ALWAYS callers that the file was
  // already there (ERROR_ALREADY_EXISTS). Throws Failure with the Win32 code CreateFile reports,
  // ERROR_SHARING_VIOLATION (checked before any truncation) included.
  static std::shared_ptr<Win32File> create(const std::string& path, const CreateOptions& options, bool& existed);

  bool overlapped() const noexcept { return overlapped_; }
  bool no_buffering() const noexcept { return direct(); }

  // CreateIoCompletionPort(file, port, key): ERROR_INVALID_PARAMETER for a synchronous handle or
  // one that is already bound.
  void bind(std::shared_ptr<CompletionPort> port, uintptr_t key);
  std::shared_ptr<CompletionPort> port(uintptr_t& key) const;
  // The port (nullptr if unbound), its key and the notification modes, read together.
  std::shared_ptr<CompletionPort> port_and_modes(uintptr_t& key, uint8_t& modes) const;
  void add_notification_modes(uint8_t modes) noexcept;
  uint8_t notification_modes() const noexcept;

  // The file pointer of synchronous ReadFile/WriteFile/SetEndOfFile. sync_io_mutex() serialises
  // the calls that read and move it.
  std::mutex& sync_io_mutex() noexcept { return sync_io_mu_; }
  uint64_t pointer() const noexcept { return pointer_; }
  void set_pointer(uint64_t p) noexcept { pointer_ = p; }

  // --- overlapped requests in flight (a list through the requests themselves, guarded by the
  // engine's mutex, io_backend().mutex(); see overlapped_op.hpp)
  // Asks the backend to cancel the requests still running for `ov` (nullptr: all). Returns how
  // many it asked for; 0 means there was nothing to cancel (ERROR_NOT_FOUND). `ov` is found by
  // the engine's hash on the OVERLAPPED address, not by a scan.
  size_t cancel(const Overlapped* ov) noexcept;
  // Whether a request for `ov` is in flight.
  bool tracking(const Overlapped* ov) const;
  // Waits until no request for `ov` is in flight, reaping the ring meanwhile (one lock for the
  // check and the wait: GetOverlappedResult's QD1 path). not_ours: none was in flight at the call.
  enum class Awaited { finished, timed_out, not_ours };
  Awaited wait_for(const Overlapped* ov, const Deadline& deadline);
  // Waits until no request at all is in flight; false on timeout.
  bool wait_idle(const Deadline& deadline);

  // LockFileEx/UnlockFileEx ranges of this handle.
  ByteLocks& byte_locks() noexcept { return byte_locks_; }

  // CloseHandle: refuses new requests, cancels and waits for those in flight, then deletes the
  // file if it was opened FILE_FLAG_DELETE_ON_CLOSE.
  void on_close() override;

 private:
  Win32File(int fd, const CreateOptions& o, std::string path);

  const bool overlapped_;
  const bool delete_on_close_;
  const std::string path_;

  friend class OverlappedOp;
  friend struct Starter;
  mutable std::mutex mu_;  // port binding, modes
  std::shared_ptr<CompletionPort> port_;
  uintptr_t key_ = 0;
  uint8_t modes_ = 0;

  // Guarded by the engine's mutex (io_backend().mutex()).
  std::condition_variable cv_;  // a request of this file ended
  std::atomic<bool> closing_{false};  // CloseHandle began: no new request
  OverlappedOp* in_flight_ = nullptr;  // linked through OverlappedOp::file_prev_/file_next_
  size_t in_flight_count_ = 0;

  std::mutex sync_io_mu_;
  uint64_t pointer_ = 0;  // guarded by sync_io_mu_

  std::unique_ptr<ShareLease> share_;  // this opener's share mode (share_mode.hpp); set by create()
  ByteLocks byte_locks_;
};

// DeleteFile: ERROR_FILE_NOT_FOUND / ERROR_PATH_NOT_FOUND / ERROR_ACCESS_DENIED (directories too),
// ERROR_SHARING_VIOLATION while an opener does not share delete.
void delete_file(const std::string& path);

}  // namespace sgio::win32
