// SPDX-License-Identifier: Apache-2.0
// One overlapped request (WriteFileGather, ReadFileScatter, overlapped WriteFile/ReadFile): the
// engine's request record (IoRequest) plus the Win32 semantics of its end. Records are pooled
// (never freed, reused warm: segments and iovecs keep their capacity), and every step of their
// life runs under the engine's mutex (io_backend().mutex()).
//
// At the call: Internal = STATUS_PENDING, InternalHigh = 0, hEvent reset. At completion, in this
// order: Internal/InternalHigh get the final NTSTATUS and byte count; hEvent is set; the packet
// is posted to the bound port into room reserved at the start (not if hEvent has its low bit set,
// nor for a synchronous success under FILE_SKIP_COMPLETION_PORT_ON_SUCCESS); the request leaves
// the file's list, which wakes GetOverlappedResult and CloseHandle. The caller's OVERLAPPED is
// never touched after that.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "async/backend.hpp"
#include "win32/apc.hpp"
#include "win32/event.hpp"
#include "win32/overlapped.hpp"
#include "win32/win32_file.hpp"

namespace sgio::win32 {

struct StartResult {
  bool completed = false;  // finished inside the call (synchronously)
  uint32_t status = 0;     // NTSTATUS, when completed
  uint64_t bytes = 0;      // when completed
};

class OverlappedOp final : public IoRequest {
 public:
  bool complete(uint64_t bytes, int error) noexcept override;
  const Win32File* owner_file() const noexcept { return owner_.get(); }

 private:
  friend class Win32File;
  friend struct Starter;
  friend StartResult start_overlapped(const std::shared_ptr<Win32File>&, OpKind, const Segment*, uint64_t, Overlapped*,
                                      std::shared_ptr<Event>, bool, CompletionRoutine);
  friend StartResult complete_now(const std::shared_ptr<Win32File>&, Overlapped*, std::shared_ptr<Event>, bool, uint32_t,
                                  CompletionRoutine);
  Overlapped* ov_ = nullptr;
  std::shared_ptr<Win32File> owner_;
  std::shared_ptr<Event> event_;
  std::shared_ptr<CompletionPort> port_;  // room for its packet is reserved
  uintptr_t port_key_ = 0;
  CompletionRoutine routine_;  // ReadFileEx/WriteFileEx (apc.hpp)
  bool skip_port_on_sync_success_ = false;
  std::thread::id submitter_;
  StartResult* in_call_ = nullptr;  // the starting call's result, while it runs
  uint64_t generation_ = 0;         // bumped at each reuse of the record
  std::vector<Segment> segments_;
  OverlappedOp* file_prev_ = nullptr;  // the file's list of requests in flight
  OverlappedOp* file_next_ = nullptr;
  OverlappedOp* next_free_ = nullptr;
};

// Starts an overlapped request on `file` (validated by the caller) over segs[0..count) (copied).
// `sync_success_returns_true`: the calling function reports a synchronous success as TRUE
// (WriteFileGather, WriteFile, ReadFile), so SKIP_COMPLETION_PORT_ON_SUCCESS applies to it;
// ReadFileScatter always reports ERROR_IO_PENDING and always posts. Throws Error if the request
// could not be started (then nothing was posted and Internal holds the failure status).
StartResult start_overlapped(const std::shared_ptr<Win32File>& file, OpKind kind, const Segment* segs, uint64_t count,
                             Overlapped* ov, std::shared_ptr<Event> event, bool sync_success_returns_true,
                             CompletionRoutine routine = {});

// A request that finishes at once without the backend with `status` and 0 bytes (a zero-byte
// transfer: STATUS_SUCCESS; a read at or beyond end of file: STATUS_END_OF_FILE), reported through
// OVERLAPPED, hEvent and the port exactly like a backend completion.
// `routine` (both functions): called once at the end, after OVERLAPPED and hEvent, under the
// engine's mutex (apc.hpp: it only queues).
StartResult complete_now(const std::shared_ptr<Win32File>& file, Overlapped* ov, std::shared_ptr<Event> event,
                         bool sync_success_returns_true, uint32_t status, CompletionRoutine routine = {});

}  // namespace sgio::win32
