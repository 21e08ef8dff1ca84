// SPDX-License-Identifier: Apache-2.0
#include "win32/apc.hpp"

#include <utility>

#include "win32/io_backend.hpp"

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
    // As Event::wait: while this thread waits it may reap the engine's ring (io_uring), which is
    // what completes its own ReadFileEx/WriteFileEx when no other thread waits.
    Backend* engine = current_io_backend();
    std::unique_lock lock(mu_);
    auto any = [&] { return !apcs_.empty(); };
    if (!(engine ? engine->wait(lock, cv_, any, deadline.at()) : deadline.wait(cv_, lock, any))) return false;
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
