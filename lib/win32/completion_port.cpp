// SPDX-License-Identifier: Apache-2.0
#include "win32/completion_port.hpp"

#include "win32/wait_deadline.hpp"

namespace sgio::win32 {

void CompletionPort::post(const Packet& p) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    packets_.push_back(p);
  }
  cv_.notify_one();
}

CompletionPort::Dequeued CompletionPort::dequeue(Packet* out, size_t max, size_t& got, uint32_t milliseconds) {
  got = 0;
  Deadline deadline(milliseconds);
  std::unique_lock lock(mu_);
  if (closed_) return Dequeued::closed;
  bool ready = deadline.wait(cv_, lock, [&] { return closed_ || !packets_.empty(); });
  if (closed_) return Dequeued::closed;
  if (!ready) return Dequeued::timeout;
  while (got < max && !packets_.empty()) {
    out[got++] = packets_.front();
    packets_.pop_front();
  }
  // Another waiter may take what is left.
  if (!packets_.empty()) cv_.notify_one();
  return Dequeued::ok;
}

void CompletionPort::on_close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    packets_.clear();
  }
  cv_.notify_all();
}

}  // namespace sgio::win32
