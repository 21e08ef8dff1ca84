// SPDX-License-Identifier: Apache-2.0
#include "win32/event.hpp"

#include "win32/io_backend.hpp"
#include "win32/wait_deadline.hpp"

namespace sgio::win32 {

void Event::signal() noexcept {
  {
    std::lock_guard lock(mu_);
    set_ = true;
  }
  // Manual reset releases every waiter; auto reset releases one (it consumes the signal).
  if (manual_)
    cv_.notify_all();
  else
    cv_.notify_one();
}

void Event::set() noexcept {
  signal();
  if (Backend* b = current_io_backend()) b->wake_leader();
}

void Event::reset() noexcept {
  std::lock_guard lock(mu_);
  set_ = false;
}

bool Event::is_set() const noexcept {
  std::lock_guard lock(mu_);
  return set_;
}

bool Event::wait(uint32_t milliseconds) {
  Deadline deadline(milliseconds);
  Backend* engine = current_io_backend();
  std::unique_lock lock(mu_);
  auto ready = [&] { return set_; };
  if (!(engine ? engine->wait(lock, cv_, ready, deadline.at()) : deadline.wait(cv_, lock, ready))) return false;
  if (!manual_) set_ = false;
  return true;
}

}  // namespace sgio::win32
