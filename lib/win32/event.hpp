// SPDX-License-Identifier: Apache-2.0
// A Win32 event object: manual-reset (stays signalled until ResetEvent) or auto-reset (a
// successful wait consumes the signal).
#pragma once

#include <condition_variable>
#include <mutex>

#include "core/object.hpp"

namespace sgio::win32 {

class Event final : public Object {
 public:
  static constexpr Kind kind_tag = Kind::event;

  Event(bool manual_reset, bool initially_set) noexcept
      : Object(Kind::event), manual_(manual_reset), set_(initially_set) {}

  // SetEvent: signal(), and wake a thread reaping the engine's ring while it waits on this event.
  void set() noexcept;
  // The engine's completion of a request whose hEvent this is (runs under the engine's lock).
  void signal() noexcept;
  void reset() noexcept;
  // True if the event was (or became) signalled within the timeout (milliseconds, or INFINITE).
  // The waiting thread reaps the engine's ring meanwhile (Backend::wait).
  bool wait(uint32_t milliseconds);
  bool is_set() const noexcept;

 private:
  const bool manual_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool set_;
};

}  // namespace sgio::win32
