// SPDX-License-Identifier: Apache-2.0
#include "async/sync_backend.hpp"

namespace sgio {

void SyncBackend::start_locked(std::unique_lock<std::mutex>& lock, IoRequest* const* reqs, size_t n) {
  // The transfers run without the lock (they block); the results are published under it.
  lock.unlock();
  for (size_t i = 0; i < n; ++i) {
    Transfer t = run_transfer(*reqs[i]);
    reqs[i]->io.done = t.bytes;
    reqs[i]->io.inline_error = t.error;
  }
  lock.lock();
  for (size_t i = 0; i < n; ++i) finish_locked(reqs[i], reqs[i]->io.done, reqs[i]->io.inline_error);
}

}  // namespace sgio
