// SPDX-License-Identifier: Apache-2.0
#include "async/pool_backend.hpp"

namespace sgio {

PoolBackend::PoolBackend(unsigned max_threads) : workers_(mu_, max_threads, &PoolBackend::finish, this) {}

PoolBackend::~PoolBackend() {
  drain();
  workers_.stop();
}

void PoolBackend::finish(void* self, IoRequest* req, uint64_t bytes, int error) noexcept {
  static_cast<PoolBackend*>(self)->finish_locked(req, bytes, error);
}

void PoolBackend::start_locked(std::unique_lock<std::mutex>&, IoRequest* const* reqs, size_t n) {
  workers_.push_locked(reqs, n);
}

bool PoolBackend::cancel_locked(IoRequest* req) noexcept { return workers_.cancel_locked(req); }

size_t PoolBackend::thread_count() {
  std::lock_guard lock(mu_);
  return workers_.thread_count_locked();
}

}  // namespace sgio
