// SPDX-License-Identifier: Apache-2.0
// A Win32 I/O completion port: a FIFO of completion packets that threads dequeue with a timeout.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include "core/object.hpp"

namespace sgio::win32 {

struct Packet {
  uintptr_t key = 0;
  void* overlapped = nullptr;  // the caller's OVERLAPPED*, never dereferenced by the port
  uint32_t status = 0;         // NTSTATUS
  uint32_t bytes = 0;
};

class CompletionPort final : public Object {
 public:
  static constexpr Kind kind_tag = Kind::port;

  CompletionPort() noexcept : Object(Kind::port) {}

  // Queues a packet; a closed port drops it (nobody can dequeue it any more).
  void post(const Packet& p);

  enum class Dequeued { ok, timeout, closed };
  // Moves up to `max` packets (at least one unless the result is timeout/closed) into `out`.
  Dequeued dequeue(Packet* out, size_t max, size_t& got, uint32_t milliseconds);

  // CloseHandle: waiters wake with ERROR_ABANDONED_WAIT_0; queued packets are dropped.
  void on_close() override;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Packet> packets_;
  bool closed_ = false;
};

}  // namespace sgio::win32
