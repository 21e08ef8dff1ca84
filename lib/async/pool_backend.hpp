// SPDX-License-Identifier: Apache-2.0
// The pool backend: a few worker threads run the synchronous engine. Used where io_uring is not
// available (seccomp, io_uring_disabled, old kernels) or forced with SGIO_BACKEND=pool, and by the
// io_uring backend for buffered writes (see uring_backend.cpp for why).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "async/backend.hpp"

namespace sgio {

class PoolBackend final : public Backend {
 public:
  // min(4, 2 x cores): enough to keep a disk queue busy with blocking calls on a small machine,
  // few enough that a process with many queues does not drown in threads.
  static unsigned default_threads() noexcept;

  // Workers start lazily, one more whenever a submission finds none idle, up to max_threads.
  explicit PoolBackend(unsigned max_threads = default_threads());
  ~PoolBackend() override;

  BackendKind kind() const noexcept override { return BackendKind::pool; }
  void submit(IoRequest* const* reqs, size_t n) override;
  // A request still waiting for a worker is completed with ECANCELED (by a worker thread, never
  // inside cancel()); a running one is let finish and completes with its real result.
  bool cancel(IoRequest* req) noexcept override;

  // Worker threads started so far (tests).
  size_t thread_count() const;

 private:
  void worker() noexcept;

  const unsigned max_threads_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::deque<IoRequest*> pending_;    // not started
  std::deque<IoRequest*> cancelled_;  // to be completed with ECANCELED
  std::unordered_set<IoRequest*> running_;
  std::vector<std::thread> threads_;
  unsigned idle_ = 0;
  bool stopping_ = false;
};

}  // namespace sgio
