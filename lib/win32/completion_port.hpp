// SPDX-License-Identifier: Apache-2.0
// A Win32 I/O completion port: a FIFO of completion packets that threads dequeue with a timeout.
// A request bound to a port reserves its packet's room when it starts (reserve(), which may
// allocate and throw), so its completion posts without allocating and cannot fail
// (post_reserved() is noexcept and runs under the engine's lock).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

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

  // Room for one more packet, kept until post_reserved() or unreserve(). Throws std::bad_alloc.
  void reserve();
  // Queues a packet into reserved room; a closed port drops it (nobody can dequeue it any more).
  void post_reserved(const Packet& p) noexcept;
  void unreserve() noexcept;
  // PostQueuedCompletionStatus: reserve() + post_reserved(), then wakes a thread reaping the
  // engine's ring on this port's behalf.
  void post(const Packet& p);

  enum class Dequeued { ok, timeout, closed };
  // Moves up to `max` packets (at least one unless the result is timeout/closed) into `out`. The
  // waiting thread reaps the engine's ring meanwhile (Backend::wait).
  Dequeued dequeue(Packet* out, size_t max, size_t& got, uint32_t milliseconds);

  // CloseHandle: waiters wake with ERROR_ABANDONED_WAIT_0; queued packets are dropped.
  void on_close() override;

  // Packets that fit without allocating (tests).
  size_t capacity() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Packet> ring_;  // circular: size_ packets from head_
  size_t head_ = 0;
  size_t size_ = 0;
  size_t reserved_ = 0;
  bool closed_ = false;
};

}  // namespace sgio::win32
