// SPDX-License-Identifier: Apache-2.0
// The native queue on Windows: sgio::Queue over an I/O completion port, with the interface
// written at the top of core/queue_types.hpp (capi/src/queue is one source for both systems).
//
// Every request is an OverlappedIo whose pieces are all started by submit() on the queue's own
// handle to the file (File::reopen(): a handle is bound to one port for life, so a file can serve
// several queues and the synchronous calls at once). Completion packets are collected by whichever
// thread is in wait() (GetQueuedCompletionStatusEx with the caller's timeout): no thread of ours.
// Backends: the completion port is the only one, the kernel completes requests as io_uring does,
// so AUTO and URING select it and backend_kind() reports BackendKind::uring; POOL and SYNC are
// Error(not_supported). There is no eventfd: event_fd() is Error(not_supported).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/object.hpp"
#include "core/queue_types.hpp"
#include "windows/file.hpp"
#include "windows/overlapped_io.hpp"

namespace sgio {

class Queue final : public Object {
 public:
  static constexpr Kind kind_tag = Kind::queue;

  Queue(BackendKind backend, uint32_t depth);  // throws Error
  ~Queue() override;

  // Cancels what is in flight, waits until every buffer is let go, drops pending completions and
  // wakes waiters (they return Error(bad_handle)).
  void on_close() override;

  BackendKind backend_kind() const noexcept { return BackendKind::uring; }
  int64_t event_fd() const;

  // Validates and starts reqs[0..count). `accepted` receives the prefix started; on a bad or
  // refused request (Error(busy) past the depth), throws its Error after starting the prefix.
  // Every request completes through the port, never inside this call, so `own` stays empty
  // (sgio_queue_submit_and_peek then takes what the port already holds).
  void submit(const QueueRequest* reqs, uint32_t count, uint32_t& accepted, QueuePeek* own = nullptr);
  // Up to max_count completions once min_count are there or the timeout passes
  // (0 polls, UINT32_MAX waits forever).
  uint32_t wait(QueueCompletion* out, uint32_t max_count, uint32_t min_count, uint32_t timeout_ms);
  // Asks Windows to cancel every request with this user_data; returns how many it reached.
  uint32_t cancel(uint64_t user_data);

 private:
  struct Request {
    uint64_t user_data = 0;
    std::shared_ptr<File> file;  // alive while the request is
    std::unique_ptr<OverlappedIo> io;
  };

  // The queue's port-bound handle to `file` (reopened on first use).
  void* bound_handle_locked(uint64_t file_value, const std::shared_ptr<File>& file);
  void start_one(const QueueRequest& req);
  // Handles the packets of one GetQueuedCompletionStatusEx call (mu_ held).
  void dispatch_locked(const OVERLAPPED_ENTRY* entries, ULONG n);
  void finish_locked(OverlappedIo* io);
  // Pulls packets from the port for up to `timeout_ms`; false when none came.
  bool pump(std::unique_lock<std::mutex>& lock, DWORD timeout_ms);
  void ensure_open_locked() const;

  const uint32_t depth_;
  HANDLE port_ = nullptr;

  std::mutex mu_;  // everything below
  bool closed_ = false;
  uint32_t waiters_ = 0;
  std::unordered_map<OverlappedIo*, std::unique_ptr<Request>> inflight_;
  std::deque<QueueCompletion> done_;
  struct Bound {
    std::weak_ptr<File> file;
    HANDLE handle;
  };
  std::unordered_map<uint64_t, Bound> bound_;  // file handle value -> the queue's handle to it
};

}  // namespace sgio
