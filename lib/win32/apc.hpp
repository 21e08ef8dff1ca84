// SPDX-License-Identifier: Apache-2.0
// Per-thread user APC queues: what ReadFileEx/WriteFileEx completion routines run through.
//
// A request started with a completion routine captures the starting thread's queue; when the
// request ends (on whatever thread the engine completes it) the routine is queued there, and it
// runs only when that thread enters an alertable wait (SleepEx(..., TRUE)), which then returns
// WAIT_IO_COMPLETION. A queue outlives its thread while requests still hold it; what is queued for
// a thread that has exited never runs (as on Windows).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "win32/wait_deadline.hpp"

namespace sgio::win32 {

// An overlapped request's end, for the engine to report: the final NTSTATUS, the byte count, and
// whether it ended inside the starting call (then the call reports a failure itself). Runs under
// the engine's locks: it must only queue.
using CompletionRoutine = std::function<void(uint32_t status, uint64_t bytes, bool in_call)>;

constexpr uint32_t wait_io_completion = 0x000000C0;  // WAIT_IO_COMPLETION

class ApcQueue {
 public:
  void queue(std::function<void()> apc);
  // An alertable wait until `deadline`: runs the APCs queued so far (in order, on this thread,
  // without the queue's lock) and returns true as soon as there are any; false on timeout.
  bool alertable_wait(const Deadline& deadline);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> apcs_;
};

// The calling thread's queue.
std::shared_ptr<ApcQueue> current_apc_queue();

}  // namespace sgio::win32
