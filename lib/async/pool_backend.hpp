// SPDX-License-Identifier: Apache-2.0
// The pool backend: a few worker threads run the synchronous engine. Used where io_uring is not
// available (seccomp, io_uring_disabled, old kernels) or forced with SGIO_BACKEND=pool.
#pragma once

#include "async/backend.hpp"
#include "async/workers.hpp"

namespace sgio {

class PoolBackend final : public Backend {
 public:
  explicit PoolBackend(unsigned max_threads = WorkerSet::default_threads());
  ~PoolBackend() override;

  BackendKind kind() const noexcept override { return BackendKind::pool; }

  // Worker threads started so far (tests).
  size_t thread_count();

 private:
  void start_locked(std::unique_lock<std::mutex>& lock, IoRequest* const* reqs, size_t n) override;
  bool cancel_locked(IoRequest* req) noexcept override;
  static void finish(void* self, IoRequest* req, uint64_t bytes, int error) noexcept;

  WorkerSet workers_;
};

}  // namespace sgio
