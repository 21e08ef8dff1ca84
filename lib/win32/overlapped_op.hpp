// SPDX-License-Identifier: Apache-2.0
// One overlapped request (WriteFileGather, ReadFileScatter, overlapped WriteFile/ReadFile) as an
// IoRequest of the process-wide backend.
//
// At the call: Internal = STATUS_PENDING, InternalHigh = 0, hEvent reset. At completion, in this
// order: Internal/InternalHigh get the final NTSTATUS and byte count; hEvent is set; the packet
// is posted to the bound port (not if hEvent has its low bit set, nor for a synchronous success
// under FILE_SKIP_COMPLETION_PORT_ON_SUCCESS); the request leaves the file's registry, which wakes
// GetOverlappedResult and CloseHandle. The caller's OVERLAPPED is never touched after that.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "async/backend.hpp"
#include "win32/apc.hpp"
#include "win32/event.hpp"
#include "win32/overlapped.hpp"
#include "win32/win32_file.hpp"

namespace sgio::win32 {

class OverlappedOp final : public IoRequest {
 public:
  Overlapped* ov = nullptr;
  std::shared_ptr<Win32File> owner;
  Backend* backend = nullptr;
  std::vector<Segment> segments;

  void complete(uint64_t bytes, int error) noexcept override;
  bool finished() const noexcept { return done_.load(std::memory_order_acquire); }

 private:
  friend struct Starter;
  std::shared_ptr<Event> event_;
  std::shared_ptr<CompletionPort> port_;
  uintptr_t key_ = 0;
  CompletionRoutine routine_;  // ReadFileEx/WriteFileEx
  bool skip_port_on_sync_success_ = false;
  std::thread::id submitter_;
  std::atomic<bool> submitting_{false};
  std::atomic<bool> done_{false};
  // Written by complete() when it runs inside submit() on the submitting thread.
  bool completed_inline_ = false;
  uint32_t inline_status_ = 0;
  uint64_t inline_bytes_ = 0;
};

struct StartResult {
  bool completed = false;  // finished inside the call (synchronously)
  uint32_t status = 0;     // NTSTATUS, when completed
  uint64_t bytes = 0;      // when completed
};

// Starts an overlapped request on `file` (validated by the caller). `segments` describe the
// buffers; `sync_success_returns_true`: the calling function reports a synchronous success as
// TRUE (WriteFileGather, WriteFile, ReadFile), so SKIP_COMPLETION_PORT_ON_SUCCESS applies to it;
// ReadFileScatter always reports ERROR_IO_PENDING and always posts. Throws Error if the request
// could not be started (then nothing was posted and Internal holds the failure status).
StartResult start_overlapped(const std::shared_ptr<Win32File>& file, OpKind kind, std::vector<Segment> segments,
                             Overlapped* ov, std::shared_ptr<Event> event,
                             bool sync_success_returns_true, CompletionRoutine routine = {});

// A request that finishes at once without the backend with `status` and 0 bytes (a zero-byte
// transfer: STATUS_SUCCESS; a read at or beyond end of file: STATUS_END_OF_FILE), reported through
// OVERLAPPED, hEvent and the port exactly like a backend completion.
// `routine` (both functions): called once at the end, after OVERLAPPED and hEvent (apc.hpp).
StartResult complete_now(const std::shared_ptr<Win32File>& file, Overlapped* ov, std::shared_ptr<Event> event,
                         bool sync_success_returns_true, uint32_t status, CompletionRoutine routine = {});

}  // namespace sgio::win32
