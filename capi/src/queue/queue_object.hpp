// SPDX-License-Identifier: Apache-2.0
// The object behind an sgio_queue handle: a Backend, the requests in flight, and the completions
// waiting for sgio_queue_wait().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "async/backend.hpp"
#include "core/object.hpp"
#include "sgio/sgio_queue.h"

namespace sgio::capi {

class Queue final : public Object {
 public:
  static constexpr Kind kind_tag = Kind::queue;

  // Throws Error(not_supported) when a forced backend is unavailable.
  Queue(BackendKind backend, uint32_t depth);
  ~Queue() override;

  // Cancels what is in flight, waits for the backend to let go of every buffer, drops pending
  // completions and wakes waiters. Later calls through stale references fail with bad_handle.
  void on_close() override;

  BackendKind backend_kind() const noexcept { return kind_; }
  int event_fd() const noexcept { return event_fd_; }

  // Validates and starts reqs[0..count) in one backend batch. `accepted` receives the prefix
  // started; on a bad or refused request, throws its Error after starting the prefix before it.
  void submit(const sgio_request* reqs, uint32_t count, uint32_t& accepted);

  // Up to max_count completions once min_count are there or the timeout passes.
  uint32_t wait(sgio_completion* out, uint32_t max_count, uint32_t min_count, uint32_t timeout_ms);

  // Requests with this user_data the cancellation reached.
  uint32_t cancel(uint64_t user_data);

 private:
  struct Request final : IoRequest {
    Queue* queue = nullptr;
    uint64_t user_data = 0;
    Request* prev = nullptr;  // in-flight list
    Request* next = nullptr;
    std::vector<Segment> cut;  // a direct read cut at end of file (File::clamp_direct_read)
    void complete(uint64_t bytes, int error) noexcept override;
  };

  void on_complete(Request* r, uint64_t bytes, int error) noexcept;
  Request* take_request_locked();
  void link_locked(Request* r) noexcept;
  void unlink_locked(Request* r) noexcept;
  void ensure_open_locked() const;

  BackendKind kind_;
  const uint32_t depth_;
  int event_fd_ = -1;

  // Held shared while calling into the backend, exclusively while destroying it, so a call that
  // raced with sgio_queue_free never touches a destroyed backend.
  std::shared_mutex backend_mu_;
  std::unique_ptr<Backend> backend_;

  std::mutex mu_;  // everything below; also orders eventfd writes and drains
  std::condition_variable cv_;
  bool closed_ = false;
  uint32_t in_flight_ = 0;  // started or reserved, not yet completed
  Request* inflight_ = nullptr;
  std::deque<sgio_completion> done_;
  std::vector<Request*> free_;
  std::vector<std::unique_ptr<Request>> all_;
};

}  // namespace sgio::capi
