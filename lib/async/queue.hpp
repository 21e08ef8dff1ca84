// SPDX-License-Identifier: Apache-2.0
// The object behind an sgio_queue handle (Linux engine): a Backend, the request records, and the
// completions waiting for wait(). Its interface is the one written in core/queue_types.hpp, shared
// with the Windows engine's Queue. Everything here is guarded by the backend's one mutex, so a
// submit takes one lock and a completion (run by whichever thread reaps) takes none of its own.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <vector>

#include "async/backend.hpp"
#include "core/object.hpp"
#include "core/queue_types.hpp"

namespace sgio {

class Queue final : public Object {
 public:
  static constexpr Kind kind_tag = Kind::queue;

  // Throws Error(not_supported) when a forced backend is unavailable, Error(too_many_handles)
  // when out of descriptors.
  Queue(BackendKind backend, uint32_t depth);
  ~Queue() override;

  // Cancels what is in flight, waits until the backend has let go of every buffer, drops pending
  // completions and wakes waiters. Later calls fail with bad_handle.
  void on_close() override;

  BackendKind backend_kind() const noexcept { return kind_; }
  // The eventfd that is readable while completions wait. It is kept up to date only from the
  // first call on: a queue nobody polls saves a write and a read system call per wait cycle.
  int64_t event_fd();

  // Validates and starts reqs[0..count), up to kBatch per backend call. `accepted` receives the
  // prefix started; on a bad or refused request, throws its Error after starting the prefix
  // before it. With `own`, the requests that end before this returns (buffered writes run by
  // this thread, a ring request reaped by another thread meanwhile) go to `own` while it has room,
  // never to the completion list: no waiter sees them or is woken for them.
  void submit(const QueueRequest* reqs, uint32_t count, uint32_t& accepted, QueuePeek* own = nullptr);

  // Up to max_count completions once min_count are there or the timeout passes (UINT32_MAX:
  // never). The waiting thread reaps the ring itself while it waits (Backend::wait).
  uint32_t wait(QueueCompletion* out, uint32_t max_count, uint32_t min_count, uint32_t timeout_ms);

  // Requests with this user_data the cancellation reached.
  uint32_t cancel(uint64_t user_data);

  // Requests handed to one backend call (one io_uring_enter on the ring).
  static constexpr uint32_t kBatch = 64;

 private:
  struct Request final : IoRequest {
    Queue* queue = nullptr;
    Request* next_free = nullptr;  // free list, then the done list
    uint64_t bytes = 0;
    Errc error{};
    std::vector<Segment> cut;  // a direct read cut at end of file (File::clamp_direct_read)
    QueuePeek* own = nullptr;  // the submit call still running that takes this result back
    bool complete(uint64_t bytes, int error) noexcept override;
  };
  struct Valid;

  void submit_batch(const Valid* valid, uint32_t n, uint32_t& accepted, bool& full, QueuePeek* own);
  Request* take_locked();
  void give_back_locked(Request* r) noexcept;
  void ensure_open_locked() const;

  BackendKind kind_ = BackendKind::automatic;
  const uint32_t depth_;
  int event_fd_ = -1;
  std::unique_ptr<Backend> backend_;

  // Guarded by backend_->mutex().
  std::condition_variable cv_;  // completions arrived, in-flight count dropped, or closed
  bool closed_ = false;
  bool fd_wanted_ = false;     // event_fd() was called: keep event_fd_ readable while completions wait
  bool fd_signalled_ = false;  // event_fd_ holds a count
  uint32_t in_flight_ = 0;     // started and not yet completed
  uint32_t done_count_ = 0;
  Request* done_head_ = nullptr;
  Request* done_tail_ = nullptr;
  Request* free_ = nullptr;
  std::vector<std::unique_ptr<Request>> all_;
};

}  // namespace sgio
