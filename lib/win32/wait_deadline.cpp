// SPDX-License-Identifier: Apache-2.0
#include "win32/wait_deadline.hpp"

namespace sgio::win32 {

Deadline::Deadline(uint32_t ms) noexcept : infinite_(ms == win32::infinite), zero_(ms == 0) {
  if (!infinite_) at_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
}

}  // namespace sgio::win32
