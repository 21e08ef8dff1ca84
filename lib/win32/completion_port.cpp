// SPDX-License-Identifier: Apache-2.0
#include "win32/completion_port.hpp"

#include "win32/io_backend.hpp"
#include "win32/wait_deadline.hpp"

namespace sgio::win32 {

void CompletionPort::reserve() {
  std::lock_guard lock(mu_);
  const size_t need = size_ + reserved_ + 1;
  if (need > ring_.size()) {
    std::vector<Packet> bigger(std::max<size_t>(64, ring_.size() * 2));
    for (size_t i = 0; i < size_; ++i) bigger[i] = ring_[(head_ + i) % ring_.size()];
    ring_.swap(bigger);
    head_ = 0;
  }
  ++reserved_;
}

void CompletionPort::unreserve() noexcept {
  std::lock_guard lock(mu_);
  --reserved_;
}

void CompletionPort::post_reserved(const Packet& p) noexcept {
  {
    std::lock_guard lock(mu_);
    --reserved_;
    if (closed_) return;
    ring_[(head_ + size_) % ring_.size()] = p;
    ++size_;
  }
  cv_.notify_one();
}

void CompletionPort::post(const Packet& p) {
  reserve();
  post_reserved(p);
  if (Backend* b = current_io_backend()) b->wake_leader();
}

size_t CompletionPort::capacity() const {
  std::lock_guard lock(mu_);
  return ring_.size();
}

CompletionPort::Dequeued CompletionPort::dequeue(Packet* out, size_t max, size_t& got, uint32_t milliseconds) {
  got = 0;
  Deadline deadline(milliseconds);
  Backend* engine = current_io_backend();
  std::unique_lock lock(mu_);
  if (closed_) return Dequeued::closed;
  auto ready = [&] { return closed_ || size_ != 0; };
  bool ok = engine ? engine->wait(lock, cv_, ready, deadline.at()) : deadline.wait(cv_, lock, ready);
  if (closed_) return Dequeued::closed;
  if (!ok) return Dequeued::timeout;
  while (got < max && size_ != 0) {
    out[got++] = ring_[head_];
    head_ = (head_ + 1) % ring_.size();
    --size_;
  }
  if (engine)
    for (size_t i = 0; i < got; ++i) engine->note_result_taken(reinterpret_cast<uintptr_t>(out[i].overlapped));
  // Another waiter may take what is left.
  if (size_ != 0) cv_.notify_one();
  return Dequeued::ok;
}

void CompletionPort::on_close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    size_ = 0;
  }
  cv_.notify_all();
  if (Backend* b = current_io_backend()) b->wake_leader();
}

}  // namespace sgio::win32
