// SPDX-License-Identifier: Apache-2.0
// A small set of threads that run requests with the synchronous engine: the whole pool backend,
// and the io_uring backend's path for large buffered writes. The workers share the backend's
// mutex and end each request through the backend (finish under that mutex), so a worker never
// allocates once its threads are started: the queues are intrusive lists through IoState.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "async/backend.hpp"

namespace sgio {

class WorkerSet {
 public:
  // Ends a request (Backend::finish_locked of the owner); called with the mutex held.
  using Finish = void (*)(void* ctx, IoRequest* req, uint64_t bytes, int error) noexcept;

  // min(4, 2 x cores): enough to keep a disk queue busy with blocking calls on a small machine,
  // few enough that a process with many queues does not drown in threads.
  static unsigned default_threads() noexcept;

  WorkerSet(std::mutex& mu, unsigned max_threads, Finish finish, void* ctx) noexcept;
  ~WorkerSet();  // stop()

  // Queues requests; workers start lazily, one more whenever a request finds none idle, up to
  // max_threads. Throws Error(system), queueing nothing, only if no worker exists and none can be
  // started. `lock` holds the mutex.
  void push_locked(IoRequest* const* reqs, size_t n);
  // A queued request is moved to the cancelled list (a worker completes it with ECANCELED, never
  // inside this call); a running one is let finish. True if the request is one of ours.
  bool cancel_locked(IoRequest* req) noexcept;
  // Completes what is queued with ECANCELED, lets running requests finish, joins the threads.
  // Call without the mutex held.
  void stop() noexcept;
  size_t thread_count_locked() const noexcept { return threads_.size(); }

 private:
  enum : uint8_t { kPending = 1, kRunning = 2, kCancelled = 3 };
  void worker() noexcept;
  void unlink_pending(IoRequest* r) noexcept;

  std::mutex& mu_;
  const unsigned max_threads_;
  const Finish finish_;
  void* const ctx_;
  std::condition_variable cv_;
  IoRequest* pending_head_ = nullptr;
  IoRequest* pending_tail_ = nullptr;
  size_t pending_ = 0;
  IoRequest* cancelled_ = nullptr;  // singly linked through io.qnext
  std::vector<std::thread> threads_;
  unsigned idle_ = 0;
  bool stopping_ = false;
};

}  // namespace sgio
