// SPDX-License-Identifier: Apache-2.0
// Win32 timeouts: a DWORD of milliseconds where INFINITE (0xFFFFFFFF) means no limit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace sgio::win32 {

constexpr uint32_t infinite = 0xFFFFFFFFu;

class Deadline {
 public:
  explicit Deadline(uint32_t milliseconds) noexcept;
  bool is_infinite() const noexcept { return infinite_; }
  bool is_zero() const noexcept { return zero_; }
  // The engine's form (sgio::kForever when infinite), for Backend::wait.
  std::chrono::steady_clock::time_point at() const noexcept {
    return infinite_ ? std::chrono::steady_clock::time_point::max() : at_;
  }

  // cv.wait until pred() holds or the deadline passes; returns pred().
  template <class Pred>
  bool wait(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, Pred pred) const {
    if (infinite_) {
      cv.wait(lock, pred);
      return true;
    }
    return cv.wait_until(lock, at_, pred);
  }

 private:
  std::chrono::steady_clock::time_point at_{};
  bool infinite_ = false;
  bool zero_ = false;
};

}  // namespace sgio::win32
