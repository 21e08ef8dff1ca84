// SPDX-License-Identifier: Apache-2.0
#include "win32/apc.hpp"

#include <utility>

namespace sgio::win32 {

void ApcQueue::queue(std::function<void()> apc) {
  {
    std::lock_guard lock(mu_);
    apcs_.push_back(std::move(apc));
  }
  cv_.notify_all();
}

bool ApcQueue::alertable_wait(const Deadline& deadline) {
  std::deque<std::function<void()>> ready;
  {
    std::unique_lock lock(mu_);
    if (!deadline.wait(cv_, lock, [&] { return !apcs_.empty(); })) return false;
    // The APCs queued by now; those the routines queue in turn wait for the next alertable wait.
    ready.swap(apcs_);
  }
  for (auto& apc : ready) apc();
  return true;
}

std::shared_ptr<ApcQueue> current_apc_queue() {
  thread_local std::shared_ptr<ApcQueue> queue = std::make_shared<ApcQueue>();
  return queue;
}

}  // namespace sgio::win32
